import { BellRing, ChevronRight } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useChannelsStore } from '../../stores/channels-store';
import '../../styles/sync.css';
import '../../styles/channels.css';

/** Settings' way to Notifications, with how many channels there are and how many fail. */
export function NotificationsSettingsCard() {
  const { t } = useTranslation();
  const channels = useChannelsStore((s) => s.channels);
  const load = useChannelsStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  const failing = channels?.filter((channel) => channel.failingSince !== null).length ?? 0;
  return (
    <section className="card sync-settings-card" data-testid="notifications-settings-card">
      <div className="sync-intro-icon" aria-hidden>
        <BellRing size={22} />
      </div>
      <div className="sync-settings-body">
        <h2>{t('channels.settingsCard.title')}</h2>
        <p>{t('channels.settingsCard.text')}</p>
        {channels ? (
          <p className="sync-settings-state" data-testid="notifications-settings-state">
            {t('channels.settingsCard.count', { count: channels.length })}
            {failing > 0 ? <span className="channel-state-failing"> · {t('channels.settingsCard.failing', { count: failing })}</span> : null}
          </p>
        ) : null}
      </div>
      <Link to="/settings/notifications" className="button" data-testid="notifications-settings-open">
        {t('channels.settingsCard.open')}
        <ChevronRight size={16} aria-hidden />
      </Link>
    </section>
  );
}
