import { useTranslation } from 'react-i18next';
import type { ColumnsPreview } from '../../../src-main/contract';
import type { ColumnMapping, MappableField } from './import-mapping';
import { FIELD_GROUPS, columnLetter, hasNameColumn } from './import-mapping';
import { useFieldLabel } from './use-field-label';

const GROUP_NAMES = Object.keys(FIELD_GROUPS) as (keyof typeof FIELD_GROUPS)[];

interface Props {
  columns: ColumnsPreview;
  mapping: ColumnMapping;
  busy: boolean;
  onMapping: (mapping: ColumnMapping) => void;
  onBack: () => void;
  onNext: () => void;
}

/** A generic CSV: the user says which column holds which of our fields, looking at the file's first rows. */
export function ColumnMappingStep({ columns, mapping, busy, onMapping, onBack, onNext }: Props) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const columnLabel = (index: number) => t('imports.mapping.column', { letter: columnLetter(index), name: columns.header[index] ?? '' });
  const hasName = hasNameColumn(mapping);

  function choose(field: MappableField, value: string) {
    const others = Object.fromEntries(Object.entries(mapping).filter(([name]) => name !== field)) as ColumnMapping;
    onMapping(value === '' ? others : { ...others, [field]: Number(value) });
  }

  return (
    <section className="card" data-testid="import-mapping">
      <h2 className="card-title">{t('imports.mapping.title')}</h2>
      <p className="muted">{t('imports.mapping.intro')}</p>
      <div className="table-wrap sample-scroll">
        <table className="ledger compact">
          <thead>
            <tr>
              {columns.header.map((name, index) => (
                <th key={index}>
                  <span className="column-letter">{columnLetter(index)}</span> {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {columns.sample.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {columns.header.map((_, index) => (
                  <td key={index} className="ellipsis">
                    {row[index] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {GROUP_NAMES.map((group) => (
        <fieldset key={group} className="mapping-group">
          <legend>{t(`imports.mapping.groups.${group}`)}</legend>
          <div className="mapping-grid">
            {FIELD_GROUPS[group].map((field) => (
              <div className="field" key={field}>
                <label htmlFor={`map-${field}`}>{fieldLabel(field)}</label>
                <select id={`map-${field}`} value={mapping[field] ?? ''} onChange={(e) => choose(field, e.target.value)}>
                  <option value="">{t('imports.mapping.notImported')}</option>
                  {columns.header.map((_, index) => (
                    <option key={index} value={index}>
                      {columnLabel(index)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </fieldset>
      ))}
      {hasName ? null : <p className="muted">{t('imports.mapping.needName')}</p>}
      <div className="actions">
        <button className="button" type="button" onClick={onBack} disabled={busy}>
          {t('imports.back')}
        </button>
        <button className="button primary" type="button" onClick={onNext} disabled={busy || !hasName} data-testid="import-mapping-next">
          {t('imports.mapping.next')}
        </button>
      </div>
    </section>
  );
}
