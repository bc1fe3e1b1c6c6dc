import { FileDown } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_KINDS } from '../../../src-main/contract/transfer';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';

type ExportKind = (typeof EXPORT_KINDS)[number];

/** Whole tables as French spreadsheets, written by the core; Paheko's layout lets an association move there. */
export function ExportsCard() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<ExportKind | null>(null);

  async function exportCsv(kind: ExportKind) {
    setBusy(kind);
    const result = await call('exports.csv', { kind });
    if (result.ok) await saveFile(result.value);
    else toastError(result.error);
    setBusy(null);
  }

  return (
    <section className="card">
      <h2 className="card-title">{t('dues.exports.title')}</h2>
      <div className="export-list">
        {EXPORT_KINDS.map((kind) => (
          <div key={kind} className="export-item">
            <div>
              <div className="strong">{t(`dues.exports.${kind}`)}</div>
              <div className="field-hint">{t(`dues.exports.${kind}Hint`)}</div>
            </div>
            <button className="button" type="button" disabled={busy !== null} onClick={() => void exportCsv(kind)} data-testid={`export-${kind}`}>
              <FileDown size={16} />
              {t('dues.exports.download')}
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
