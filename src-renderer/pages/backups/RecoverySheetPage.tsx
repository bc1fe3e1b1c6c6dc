import { Download, Printer, ShieldAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { ApiError, RecoverySheet } from '../../../src-main/contract';
import { call } from '../../api/client';
import { saveFile } from '../../api/save-file';
import { BackLink } from '../../components/BackLink';
import { DetailFallback } from '../../components/DetailFallback';
import { groupPassword, textToBase64 } from '../../components/backups/format';
import { formatDateTime } from '../../components/members/format';
import { useBackupsStore } from '../../stores/backups-store';
import { useSettingsStore } from '../../stores/settings-store';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import '../../styles/servers.css';
import '../../styles/backups.css';

/**
 * The one time the repository's password is shown: a printable sheet (path, restic's id, password, how to restore
 * without Pelote) that the user must confirm saved. Until then the repository carries a warning and the sheet can be
 * shown again; after, never.
 */
export function RecoverySheetPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const kept = useBackupsStore((s) => s.sheets[id]);
  const { keepSheet, confirmRecoverySaved } = useBackupsStore.getState();
  const associationName = useSettingsStore((s) => s.settings?.associationName ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (kept) return;
    void call('backups.repositories.recoverySheet', { id }).then((result) => {
      if (result.ok) keepSheet(result.value);
      else setError(result.error);
    });
  }, [id, kept, keepSheet]);

  if (!kept) return <DetailFallback error={error} backTo="/backups" backLabel={t('backups.backToOverview')} />;
  const sheet: RecoverySheet = kept;
  const created = formatDateTime(sheet.createdAt, i18n.language);
  const commands = [`restic -r ${sheet.path} snapshots`, `restic -r ${sheet.path} restore latest --target /tmp/restore`];

  function asText(): string {
    return [
      t('backups.recovery.sheetTitle'),
      associationName,
      '',
      `${t('backups.recovery.repository')}: ${sheet.name}`,
      `${t('backups.recovery.path')}: ${sheet.path}`,
      `${t('backups.recovery.resticId')}: ${sheet.resticId}`,
      `${t('backups.recovery.password')}: ${sheet.password}`,
      `${t('backups.recovery.created')}: ${created}`,
      '',
      t('backups.recovery.howTitle'),
      t('backups.recovery.howText'),
      ...commands,
      '',
      t('backups.recovery.keepText'),
      '',
    ].join('\n');
  }

  async function confirm() {
    setBusy(true);
    const done = await confirmRecoverySaved(sheet.repositoryId);
    setBusy(false);
    if (!done) return;
    push({ kind: 'success', title: t('backups.recovery.confirmed', { name: sheet.name }) });
    void navigate('/backups');
  }

  return (
    <div className="page recovery-page">
      <header className="page-header no-print">
        <div>
          <BackLink to="/backups" label={t('backups.backToOverview')} />
          <h1>{t('backups.recovery.title')}</h1>
          <div className="page-subtitle">{sheet.name}</div>
        </div>
        <div className="actions">
          <button className="button" type="button" onClick={() => void saveFile({ fileName: t('backups.recovery.fileName', { name: sheet.name }), mimeType: 'text/plain', base64: textToBase64(asText()) })} data-testid="recovery-save">
            <Download size={16} />
            {t('backups.recovery.saveText')}
          </button>
          <button className="button primary" type="button" onClick={() => window.print()} data-testid="recovery-print">
            <Printer size={16} />
            {t('backups.recovery.print')}
          </button>
        </div>
      </header>

      <div className="notice danger no-print" role="alert">
        <ShieldAlert size={18} className="notice-icon danger-icon" aria-hidden />
        <div className="notice-body">
          <div className="notice-title">{t('backups.recovery.onceTitle')}</div>
          <p className="notice-text">{t('backups.recovery.onceText')}</p>
        </div>
      </div>

      <article className="card recovery-sheet" data-testid="recovery-sheet">
        <header className="recovery-sheet-head">
          <div className="recovery-sheet-kicker">{t('backups.recovery.sheetTitle')}</div>
          <h2>{associationName}</h2>
        </header>
        <dl className="recovery-facts">
          <dt>{t('backups.recovery.repository')}</dt>
          <dd>{sheet.name}</dd>
          <dt>{t('backups.recovery.path')}</dt>
          <dd className="mono" data-testid="recovery-path">
            {sheet.path}
          </dd>
          <dt>{t('backups.recovery.resticId')}</dt>
          <dd className="mono" data-testid="recovery-restic-id">
            {sheet.resticId}
          </dd>
          <dt>{t('backups.recovery.password')}</dt>
          <dd className="recovery-password" data-testid="recovery-password">
            {groupPassword(sheet.password).map((group, index) => (
              <span key={index}>{group}</span>
            ))}
          </dd>
          <dt>{t('backups.recovery.created')}</dt>
          <dd>{created}</dd>
        </dl>
        <div className="recovery-how">
          <h3>{t('backups.recovery.howTitle')}</h3>
          <p>{t('backups.recovery.howText')}</p>
          <pre className="recovery-commands">{commands.join('\n')}</pre>
        </div>
        <p className="recovery-keep">{t('backups.recovery.keepText')}</p>
      </article>

      <section className="card recovery-confirm no-print" data-testid="recovery-confirm">
        <label className="check">
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="recovery-saved-check" />
          {t('backups.recovery.savedCheck')}
        </label>
        <div className="actions">
          <button className="button primary" type="button" disabled={!saved || busy} onClick={() => void confirm()} data-testid="recovery-confirm-button">
            {t('backups.recovery.confirm')}
          </button>
        </div>
      </section>
    </div>
  );
}
