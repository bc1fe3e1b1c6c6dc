import { Download, KeyRound, Printer, ShieldAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../api/save-file';
import { errorMessage } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { textToBase64 } from '../../components/backups/format';
import { formatDateTime } from '../../components/members/format';
import { useSettingsStore } from '../../stores/settings-store';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';

/**
 * The team key sheet, as the backups' recovery sheet: association, folder, team id, the key in large groups, the date;
 * printed (only the sheet, black on white) or saved as text, then confirmed. Shown until confirmed, then never again.
 */
export function TeamKeySheetView() {
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const sheet = useSyncStore((s) => s.sheet);
  const sheetError = useSyncStore((s) => s.sheetError);
  const joinedAt = useSyncStore((s) => s.status?.joinedAt ?? null);
  const { loadSheet, confirmSheet } = useSyncStore.getState();
  const associationName = useSettingsStore((s) => s.settings?.associationName ?? '');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!sheet) void loadSheet();
  }, [sheet, loadSheet]);

  function asText(): string {
    if (!sheet) return '';
    const created = formatDateTime(sheet.createdAt, i18n.language);
    return [
      t('sync.sheet.kicker'),
      '',
      t('sync.sheet.textLine', { label: t('sync.sheet.association'), value: associationName }),
      t('sync.sheet.textLine', { label: t('sync.sheet.folder'), value: sheet.folder }),
      t('sync.sheet.textLine', { label: t('sync.sheet.teamId'), value: sheet.teamId }),
      t('sync.sheet.textLine', { label: t('sync.sheet.key'), value: sheet.key }),
      t('sync.sheet.textLine', { label: t('sync.sheet.created'), value: created }),
      '',
      t('sync.sheet.howTitle'),
      t('sync.sheet.howText'),
      '',
      t('sync.sheet.keepText'),
      '',
    ].join('\n');
  }

  async function saveText() {
    await saveFile({ fileName: t('sync.sheet.fileName'), mimeType: 'text/plain', base64: textToBase64(asText()) });
  }

  async function confirm() {
    setBusy(true);
    const done = await confirmSheet();
    setBusy(false);
    if (done) push({ kind: 'success', title: t('sync.sheet.confirmed') });
  }

  const header = (
    <header className="page-header no-print">
      <div>
        <BackLink to="/settings" label={t('sync.backToSettings')} />
        <h1>{t('sync.sheet.title')}</h1>
        <div className="page-subtitle">{t('sync.title')}</div>
      </div>
      {sheet ? (
        <div className="actions">
          <button className="button" type="button" onClick={() => void saveText()} data-testid="sync-sheet-save">
            <Download size={16} />
            {t('sync.sheet.saveText')}
          </button>
          <button className="button primary" type="button" onClick={() => window.print()} data-testid="sync-sheet-print">
            <Printer size={16} />
            {t('sync.sheet.print')}
          </button>
        </div>
      ) : null}
    </header>
  );

  if (!sheet) {
    return (
      <div className="page">
        {header}
        {sheetError ? (
          <section className="card" role="alert" data-testid="sync-sheet-error">
            <p>{errorMessage(sheetError)}</p>
          </section>
        ) : (
          <div className="loading">{t('common.loading')}</div>
        )}
      </div>
    );
  }

  const created = formatDateTime(sheet.createdAt, i18n.language);
  // A sheet dated after this computer joined is a changed key's (a computer was removed).
  const rotated = joinedAt !== null && sheet.createdAt !== joinedAt;
  const groups = sheet.key.split(/\s+/).filter(Boolean);

  return (
    <div className="page recovery-page sync-sheet-page" data-testid="sync-sheet-page">
      {header}

      <div className="notice danger no-print" role="alert">
        <ShieldAlert size={18} className="notice-icon danger-icon" aria-hidden />
        <div className="notice-body">
          <div className="notice-title">{t('sync.sheet.onceTitle')}</div>
          <p className="notice-text">{t('sync.sheet.onceText')}</p>
        </div>
      </div>

      {rotated ? (
        <div className="notice warning no-print" role="status" data-testid="sync-sheet-rotated">
          <KeyRound size={18} className="notice-icon" aria-hidden />
          <div className="notice-body">
            <div className="notice-title">{t('sync.sheet.rotatedTitle')}</div>
            <p className="notice-text">{t('sync.sheet.rotatedText')}</p>
          </div>
        </div>
      ) : null}

      <article className="card recovery-sheet" data-testid="sync-sheet">
        <header className="recovery-sheet-head">
          <div className="recovery-sheet-kicker">{t('sync.sheet.kicker')}</div>
          <h2>{associationName}</h2>
        </header>
        <dl className="recovery-facts">
          <dt>{t('sync.sheet.folder')}</dt>
          <dd className="mono" data-testid="sync-sheet-folder">
            {sheet.folder}
          </dd>
          <dt>{t('sync.sheet.teamId')}</dt>
          <dd className="mono" data-testid="sync-sheet-team-id">
            {sheet.teamId}
          </dd>
          <dt>{t('sync.sheet.key')}</dt>
          <dd className="recovery-password sync-sheet-key" data-testid="sync-sheet-key">
            {groups.map((group, index) => (
              // A space between groups: selecting and copying the key gives it back as printed.
              <span key={index}>{index < groups.length - 1 ? `${group} ` : group}</span>
            ))}
          </dd>
          <dt>{t('sync.sheet.created')}</dt>
          <dd>{created}</dd>
        </dl>
        <div className="recovery-how">
          <h3>{t('sync.sheet.howTitle')}</h3>
          <p>{t('sync.sheet.howText')}</p>
        </div>
        <p className="recovery-keep">{t('sync.sheet.keepText')}</p>
      </article>

      <section className="card recovery-confirm no-print" data-testid="sync-sheet-confirm">
        <label className="check">
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="sync-sheet-saved-check" />
          {t('sync.sheet.savedCheck')}
        </label>
        <div className="actions">
          <button className="button primary" type="button" disabled={!saved || busy} onClick={() => void confirm()} data-testid="sync-sheet-confirm-button">
            {t('sync.sheet.confirm')}
          </button>
        </div>
      </section>
    </div>
  );
}
