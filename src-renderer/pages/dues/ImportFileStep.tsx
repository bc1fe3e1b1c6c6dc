import { FileText } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ImportFormat } from '../../../src-main/contract';
import { IMPORT_FORMATS } from '../../../src-main/contract/transfer';
import type { ChosenFile } from './import-file';
import { numberFormat } from '../../i18n/intl-cache';

/** "12,4 ko" / "12.4 kB": Intl knows the units' names in every language. */
function fileSize(bytes: number, language: string): string {
  const [unit, value] =
    bytes < 1024 ? ['byte', bytes] : bytes < 1024 * 1024 ? ['kilobyte', bytes / 1024] : ['megabyte', bytes / (1024 * 1024)];
  // Short unit names ("kB", "ko"), but bytes in full: the short form of "byte" is no shorter and drops the plural.
  return numberFormat(language, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}

interface Props {
  file: ChosenFile | null;
  format: ImportFormat;
  busy: boolean;
  onFile: (file: File) => void;
  onFormat: (format: ImportFormat) => void;
  onNext: () => void;
}

export function ImportFileStep({ file, format, busy, onFile, onFormat, onNext }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card">
      <h2 className="card-title">{t('imports.file.title')}</h2>
      <div className="form-grid">
        <div className="field field-wide">
          <label htmlFor="import-file">{t('imports.file.choose')}</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              if (chosen) onFile(chosen);
            }}
            data-testid="import-file"
          />
          <div className="field-hint">{t('imports.file.hint')}</div>
        </div>
        {file ? (
          <div className="chosen-file field-wide" data-testid="import-chosen">
            <FileText size={18} />
            <span className="strong">{file.name}</span>
            <span className="muted">{fileSize(file.size, i18n.language)}</span>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="import-format">{t('imports.file.format')}</label>
          <select id="import-format" value={format} onChange={(e) => onFormat(e.target.value as ImportFormat)} data-testid="import-format">
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`imports.formats.${f}`)}
              </option>
            ))}
          </select>
          <div className="field-hint">{t('imports.file.formatHint')}</div>
        </div>
      </div>
      <div className="actions">
        <button className="button primary" type="button" disabled={!file || busy} onClick={onNext} data-testid="import-next">
          {t('imports.file.next')}
        </button>
      </div>
    </section>
  );
}
