import { ChevronRight, UsersRound } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSyncStore } from '../../stores/sync-store';
import '../../styles/sync.css';

/** Settings' way to Team & sync, with where this computer stands (the shell's indicator has loaded the status). */
export function SyncSettingsCard() {
  const { t } = useTranslation();
  const status = useSyncStore((s) => s.status);
  return (
    <section className="card sync-settings-card" data-testid="sync-settings-card">
      <div className="sync-intro-icon" aria-hidden>
        <UsersRound size={22} />
      </div>
      <div className="sync-settings-body">
        <h2>{t('sync.settingsCard.title')}</h2>
        <p>{t('sync.settingsCard.text')}</p>
        {status ? (
          <p className="sync-settings-state" data-testid="sync-settings-state">
            {status.inTeam ? t('sync.settingsCard.inTeam', { folder: status.folder ?? '' }) : t('sync.settingsCard.notInTeam')}
          </p>
        ) : null}
      </div>
      <Link to="/settings/sync" className="button" data-testid="sync-settings-open">
        {t('sync.settingsCard.open')}
        <ChevronRight size={16} aria-hidden />
      </Link>
    </section>
  );
}
