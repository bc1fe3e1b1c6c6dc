import { Siren } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { byUrgency, IncidentCard } from '../../components/servers/IncidentCard';
import { useIncidentNotifications } from '../../components/servers/useIncidentNotifications';
import type { IncidentFilter } from '../../stores/servers-store';
import { useServersStore } from '../../stores/servers-store';
import '../../styles/members.css';
import '../../styles/servers.css';

const FILTERS: IncidentFilter[] = ['open', 'all'];

/** What is wrong now (or what went wrong), and who is on it. */
export function IncidentsPage() {
  const { t } = useTranslation();
  useIncidentNotifications();
  const incidents = useServersStore((s) => s.incidents);
  const filter = useServersStore((s) => s.incidentFilter);
  const loadIncidents = useServersStore((s) => s.loadIncidents);

  useEffect(() => {
    void loadIncidents();
  }, [loadIncidents]);

  const sorted = [...(incidents ?? [])].sort(byUrgency);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('sections.incidents.title')}</h1>
          <div className="page-subtitle">{t('sections.incidents.subtitle')}</div>
        </div>
        <div className="chips" role="group" aria-label={t('incidents.filter')}>
          {FILTERS.map((value) => (
            <button key={value} className="chip" type="button" aria-pressed={filter === value} onClick={() => void loadIncidents(value)} data-testid={`incidents-${value}`}>
              {t(`incidents.filters.${value}`)}
            </button>
          ))}
        </div>
      </header>
      {incidents === null ? (
        <div className="loading">{t('common.loading')}</div>
      ) : sorted.length === 0 ? (
        <section className="card empty-state" data-testid="incidents-empty">
          <div className="empty-icon">
            <Siren size={28} />
          </div>
          <h2>{t(filter === 'open' ? 'incidents.emptyOpenTitle' : 'incidents.emptyAllTitle')}</h2>
          <p>{t('incidents.emptyText')}</p>
        </section>
      ) : (
        <div className="incident-list" data-testid="incident-list">
          {sorted.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} showServer />
          ))}
        </div>
      )}
    </div>
  );
}
