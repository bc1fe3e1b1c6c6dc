import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { useSyncStore } from '../../stores/sync-store';
import '../../styles/members.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import '../../styles/sync.css';
import { JoinOrCreate } from './JoinOrCreate';
import { TeamKeySheetView } from './TeamKeySheetView';
import { TeamStatusView } from './TeamStatusView';

/**
 * Settings → Team & sync. Not in a team: create the team folder or join one. Just created: the team key sheet, until
 * confirmed. In a team: the status, the other computers, and the conflicts to sort out.
 */
export function SyncPage() {
  const { t } = useTranslation();
  const status = useSyncStore((s) => s.status);
  const loadError = useSyncStore((s) => s.loadError);
  const load = useSyncStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  if (!status) {
    return (
      <div className="page">
        {loadError ? (
          <section className="card" role="alert">
            <p>{errorMessage(loadError)}</p>
          </section>
        ) : (
          <div className="loading">{t('common.loading')}</div>
        )}
      </div>
    );
  }
  if (status.inTeam && !status.sheetConfirmed) return <TeamKeySheetView />;

  return (
    <div className="page sync-page" data-testid="sync-page" data-in-team={status.inTeam}>
      {status.inTeam ? (
        <TeamStatusView status={status} />
      ) : (
        <>
          <header className="page-header">
            <div>
              <BackLink to="/settings" label={t('sync.backToSettings')} />
              <h1>{t('sync.title')}</h1>
              <div className="page-subtitle">{t('sync.subtitle')}</div>
            </div>
          </header>
          <JoinOrCreate />
        </>
      )}
    </div>
  );
}
