import { Plus, RefreshCw, Server, Siren } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ServerSummary } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { HealthDot, MaintenanceBadge, Tags, UsageBar } from '../../components/servers/indicators';
import { useNow } from '../../components/servers/use-now';
import { formatRelative } from '../../components/servers/figures';
import { useIncidentNotifications } from '../../components/servers/useIncidentNotifications';
import { useMetricsStore } from '../../stores/metrics-store';
import { useServersStore } from '../../stores/servers-store';
import '../../styles/members.css';
import '../../styles/servers.css';
import { Sparkline } from './usage/Sparkline';

/** Red first, then amber, grey, green: what needs a look comes first. */
const URGENCY = { red: 0, amber: 1, grey: 2, green: 3 } as const;
const COLOURS = Object.keys(URGENCY) as (keyof typeof URGENCY)[];

function ServerCard({ server, now }: { server: ServerSummary; now: number }) {
  const { t, i18n } = useTranslation();
  const sparkline = useMetricsStore((s) => s.sparklines?.[server.id]);
  return (
    <Link to={`/servers/${server.id}`} className={`card server-card server-card-${server.colour}`} data-testid="server-card" data-colour={server.colour}>
      <div className="server-card-head">
        <HealthDot colour={server.colour} />
        <div className="server-card-title">
          <h2>{server.name}</h2>
          <div className="server-card-host">{server.host}</div>
        </div>
      </div>
      <div className="server-card-badges">
        {server.openIncidents > 0 ? (
          <span className="incident-count" data-testid="server-open-incidents">
            <Siren size={13} aria-hidden />
            {t('servers.fleet.openIncidents', { count: server.openIncidents })}
          </span>
        ) : null}
        <MaintenanceBadge until={server.maintenanceUntil} />
        <Tags tags={server.tags} />
      </div>
      <div className="server-card-usage">
        <UsageBar label={t('servers.metrics.cpu')} percent={server.cpuPercent} />
        <UsageBar label={t('servers.metrics.memory')} percent={server.memoryPercent} />
        <UsageBar label={t('servers.metrics.disk')} percent={server.diskPercent} />
        <Sparkline points={sparkline} />
      </div>
      <div className="server-card-foot">
        {server.lastError ? (
          <span className="server-card-error" data-testid="server-last-error">
            {server.lastError.code === 'server_key_missing_here'
              ? t('servers.fleet.keyMissing')
              : errorMessage({ code: server.lastError.code, message: '', details: server.lastError.details })}
          </span>
        ) : null}
        <span className="muted" data-testid="server-last-sweep">
          {server.lastSweepAt
            ? t('servers.fleet.lastSweep', { when: formatRelative(server.lastSweepAt, now, i18n.language) })
            : t('servers.fleet.neverSwept')}
        </span>
      </div>
    </Link>
  );
}

function EmptyFleet() {
  const { t } = useTranslation();
  return (
    <section className="card empty-state" data-testid="servers-empty">
      <div className="empty-icon">
        <Server size={28} />
      </div>
      <h2>{t('servers.fleet.emptyTitle')}</h2>
      <p>{t('servers.fleet.emptyText')}</p>
      <div className="actions">
        <Link className="button primary" to="/servers/new">
          <Plus size={16} />
          {t('servers.fleet.add')}
        </Link>
      </div>
    </section>
  );
}

/** The fleet at a glance: one card per server, the worst first. */
export function ServersPage() {
  const { t } = useTranslation();
  useIncidentNotifications();
  const fleet = useServersStore((s) => s.fleet);
  const sweeping = useServersStore((s) => s.sweeping);
  const { loadFleet, sweep } = useServersStore.getState();
  const loadSparklines = useMetricsStore((s) => s.loadSparklines);
  const now = useNow(10_000);

  useEffect(() => {
    void loadFleet();
    void loadSparklines();
  }, [loadFleet, loadSparklines]);

  const sorted = [...(fleet ?? [])].sort((a, b) => URGENCY[a.colour] - URGENCY[b.colour] || a.name.localeCompare(b.name));
  const counts = sorted.reduce<Record<string, number>>((all, s) => ({ ...all, [s.colour]: (all[s.colour] ?? 0) + 1 }), {});

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t('sections.servers.title')}</h1>
          <div className="page-subtitle" data-testid="fleet-counts">
            {fleet && fleet.length > 0
              ? COLOURS.filter((colour) => counts[colour])
                  .map((colour) => t(`servers.fleet.count.${colour}`, { count: counts[colour] }))
                  .join(' · ')
              : t('sections.servers.subtitle')}
          </div>
        </div>
        <div className="actions">
          {fleet && fleet.length > 0 ? (
            <button className="button" type="button" onClick={() => void sweep(null)} disabled={sweeping} data-testid="sweep-all">
              <RefreshCw size={16} className={sweeping ? 'spin' : undefined} />
              {t(sweeping ? 'servers.sweeping' : 'servers.sweepNow')}
            </button>
          ) : null}
          <Link className="button primary" to="/servers/new" data-testid="server-add">
            <Plus size={16} />
            {t('servers.fleet.add')}
          </Link>
        </div>
      </header>
      {fleet === null ? (
        <div className="loading">{t('common.loading')}</div>
      ) : fleet.length === 0 ? (
        <EmptyFleet />
      ) : (
        <div className="server-grid" data-testid="server-grid">
          {sorted.map((server) => (
            <ServerCard key={server.id} server={server} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
