import { CloudOff, Hourglass, RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { formatDateTime } from '../../components/members/format';
import { formatBytes } from '../../components/metrics/units';
import { useNow } from '../../components/servers/use-now';
import { useSyncStore } from '../../stores/sync-store';
import { ConflictsCard } from './ConflictsCard';
import { DevicesCard } from './DevicesCard';
import { ReceiptBookCard } from './ReceiptBookCard';
import { RekeyCard } from './RekeyCard';
import { relativeTime } from './sync-format';

/** In a team: how this computer stands (last sync, what waits, what is held), the other computers, the conflicts. */
export function TeamStatusView({ status }: { status: SyncStatus }) {
  const { t, i18n } = useTranslation();
  const syncing = useSyncStore((s) => s.syncing);
  const syncNow = useSyncStore((s) => s.syncNow);
  const now = useNow(15_000);
  const language = i18n.language;
  const when = (iso: string) => relativeTime(iso, now, language) ?? t('sync.time.justNow');
  const others = status.devices.length;

  return (
    <>
      <header className="page-header">
        <div>
          <BackLink to="/settings" label={t('sync.backToSettings')} />
          <h1>{t('sync.title')}</h1>
          <div className="page-subtitle">{t('sync.subtitle')}</div>
        </div>
        <div className="actions">
          <button className="button primary" type="button" onClick={() => void syncNow()} disabled={syncing} data-testid="sync-now">
            <RefreshCw size={16} className={syncing ? 'spin' : undefined} aria-hidden />
            {t(syncing ? 'sync.status.syncing' : 'sync.status.syncNow')}
          </button>
        </div>
      </header>

      {status.lastError?.code === 'sync_team_key_rotated' ? (
        <RekeyCard error={status.lastError} />
      ) : status.lastError ? (
        // Offline is normal: one calm line, the last good sync and why this one did not happen.
        <div className="notice sync-offline" role="status" data-testid="sync-offline">
          <CloudOff size={18} className="notice-icon" aria-hidden />
          <div className="notice-body">
            <div className="notice-title">
              {status.lastSyncAt ? t('sync.status.offlineTitle', { when: when(status.lastSyncAt) }) : t('sync.status.offlineNever')}
            </div>
            <p className="notice-text" data-testid="sync-last-error">
              {errorMessage(status.lastError)}
            </p>
          </div>
        </div>
      ) : null}

      <section className="card sync-tiles" data-testid="sync-status">
        <div className="sync-tile">
          <div className="sync-tile-label">{t('sync.status.lastSync')}</div>
          <div className="sync-tile-value" data-testid="sync-last-sync" title={status.lastSyncAt ? formatDateTime(status.lastSyncAt, language) : undefined}>
            {status.lastSyncAt ? when(status.lastSyncAt) : t('sync.time.never')}
          </div>
          {status.lastSyncAt ? <div className="sync-tile-hint">{formatDateTime(status.lastSyncAt, language)}</div> : null}
        </div>
        <div className="sync-tile">
          <div className="sync-tile-label">{t('sync.status.waiting')}</div>
          <div className="sync-tile-value" data-testid="sync-waiting">
            {status.waiting}
          </div>
          <div className="sync-tile-hint">{t('sync.status.waitingHint')}</div>
        </div>
        <div className="sync-tile">
          <div className="sync-tile-label">{t('sync.status.held')}</div>
          <div className={status.held > 0 ? 'sync-tile-value warning' : 'sync-tile-value'} data-testid="sync-held">
            {status.held}
          </div>
          <div className="sync-tile-hint">{t(status.held > 0 ? 'sync.status.heldHint' : 'sync.status.heldNone')}</div>
        </div>
        <div className="sync-tile">
          <div className="sync-tile-label">{t('sync.status.computers')}</div>
          <div className="sync-tile-value">{others + 1}</div>
          <div className="sync-tile-hint">{others === 0 ? t('sync.status.computersAlone') : t('sync.status.computersOthers', { count: others })}</div>
        </div>
        <dl className="sync-facts">
          <dt>{t('sync.status.folder')}</dt>
          <dd className="mono" data-testid="sync-folder">
            {status.folder}
          </dd>
          <dt>{t('sync.status.folderSize')}</dt>
          <dd data-testid="sync-folder-size" title={status.folderBytes === null ? undefined : t('sync.status.folderSizeHint')}>
            {status.folderBytes === null ? t('sync.status.folderSizeUnknown') : formatBytes(status.folderBytes, language)}
          </dd>
          <dt>{t('sync.status.teamId')}</dt>
          <dd className="mono">{status.teamId}</dd>
          {status.joinedAt ? (
            <>
              <dt>{t('sync.status.joinedAt')}</dt>
              <dd>{formatDateTime(status.joinedAt, language)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      {status.held > 0 ? (
        <div className="notice warning" role="status" data-testid="sync-held-notice">
          <Hourglass size={18} className="notice-icon" aria-hidden />
          <div className="notice-body">
            <div className="notice-title">{t('sync.status.heldTitle', { count: status.held })}</div>
            <p className="notice-text">{t('sync.status.heldText')}</p>
            {status.heldForNewerPelote > 0 ? (
              <p className="notice-text" data-testid="sync-held-newer">
                <strong>{t('sync.status.heldNewer', { count: status.heldForNewerPelote })}</strong>
              </p>
            ) : null}
          </div>
        </div>
      ) : null}

      <DevicesCard status={status} now={now} />
      {status.receiptBook ? <ReceiptBookCard book={status.receiptBook} /> : null}
      <ConflictsCard />
    </>
  );
}
