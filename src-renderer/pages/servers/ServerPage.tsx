import { ChevronDown, KeyRound, Pencil, RefreshCw, Trash2, Wrench } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { CheckState, ServerDetail } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { HostKeyPanel } from '../../components/servers/HostKeyPanel';
import { byUrgency, IncidentCard } from '../../components/servers/IncidentCard';
import { CheckBadge, HealthDot, MaintenanceBadge, Tags, UsageBar } from '../../components/servers/indicators';
import { useNow } from '../../components/servers/use-now';
import { formatRelative } from '../../components/servers/figures';
import { formatCause, ruleName } from '../../components/servers/format';
import { useIncidentNotifications } from '../../components/servers/useIncidentNotifications';
import { useServersStore } from '../../stores/servers-store';
import '../../styles/members.css';
import '../../styles/servers.css';
import { RulesCard } from './RulesCard';
import { ResourceUsage } from './usage/ResourceUsage';
import { BackLink } from '../../components/BackLink';
import { DetailFallback } from '../../components/DetailFallback';

const HOUR_MS = 3600_000;
/** "Until tomorrow" ends at this local hour, when someone is awake to look. */
const TOMORROW_HOUR = 8;

const MAINTENANCE_CHOICES = { '1h': 'oneHour', '4h': 'fourHours', tomorrow: 'tomorrow', end: 'end' } as const;
type MaintenanceChoice = keyof typeof MAINTENANCE_CHOICES;

function maintenanceUntil(choice: MaintenanceChoice, now = new Date()): string | null {
  if (choice === 'end') return null;
  if (choice === 'tomorrow') {
    const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, TOMORROW_HOUR);
    return tomorrow.toISOString();
  }
  return new Date(now.getTime() + (choice === '1h' ? 1 : 4) * HOUR_MS).toISOString();
}

/** Mute alerts for a while, or end the window early: a menu of buttons, closed once one is chosen. */
function MaintenanceMenu({ inMaintenance, onChoose }: { inMaintenance: boolean; onChoose: (choice: MaintenanceChoice) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDetailsElement>(null);
  const choices = (Object.keys(MAINTENANCE_CHOICES) as MaintenanceChoice[]).filter((choice) => choice !== 'end' || inMaintenance);
  return (
    <details className="menu" ref={ref} data-testid="maintenance">
      <summary className="button">
        <Wrench size={16} />
        {t('servers.maintenance.label')}
        <ChevronDown size={14} />
      </summary>
      <div className="menu-items">
        {choices.map((choice) => (
          <button
            key={choice}
            type="button"
            onClick={() => {
              ref.current?.removeAttribute('open');
              onChoose(choice);
            }}
            data-testid={`maintenance-${choice}`}
          >
            {t(`servers.maintenance.${MAINTENANCE_CHOICES[choice]}`)}
          </button>
        ))}
      </div>
    </details>
  );
}

/** The mount point has its own column in the checks table. */
const SUBJECT_SHOWN = { hide: ['mount'] };

const STATE_RANK = { failing: 0, unknown: 1, ok: 2 } as const;
const isText = (value: unknown): value is string => typeof value === 'string';

function ChecksCard({ detail, now }: { detail: ServerDetail; now: number }) {
  const { t, i18n } = useTranslation();
  const serviceName = (check: CheckState) => detail.server.services.find((s) => s.id === check.serviceId)?.name ?? null;
  const checks = [...detail.checks].sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || a.ruleId.localeCompare(b.ruleId));
  return (
    <section className="card" data-testid="checks-card">
      <h2 className="card-title">{t('servers.checks.title')}</h2>
      {checks.length === 0 ? (
        <p className="muted">{t('servers.checks.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('servers.checks.rule')}</th>
              <th>{t('servers.checks.subject')}</th>
              <th>{t('servers.checks.state')}</th>
              <th>{t('servers.checks.value')}</th>
              <th>{t('servers.checks.since')}</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((check, index) => (
              <tr key={`${check.ruleId}-${check.serviceId ?? ''}-${index}`} data-testid="check-row" data-rule={check.ruleId}>
                <td>{ruleName(check.ruleId, t)}</td>
                <td>{serviceName(check) ?? (isText(check.value.mount) ? check.value.mount : t('servers.checks.server'))}</td>
                <td>
                  <CheckBadge state={check.state} />
                </td>
                <td className="check-value">{formatCause(check.errorCode, check.value, t, i18n.language, SUBJECT_SHOWN) || '—'}</td>
                <td className="nowrap muted">{formatRelative(check.since, now, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ServicesCard({ detail }: { detail: ServerDetail }) {
  const { t } = useTranslation();
  const { services } = detail.server;
  const stateOf = (serviceId: string): CheckState['state'] =>
    detail.checks
      .filter((check) => check.serviceId === serviceId)
      .reduce<CheckState['state'] | null>((worst, check) => (worst === null || STATE_RANK[check.state] < STATE_RANK[worst] ? check.state : worst), null) ?? 'unknown';
  return (
    <section className="card" data-testid="services-card">
      <h2 className="card-title">{t('servers.form.services')}</h2>
      {services.length === 0 ? (
        <p className="muted">{t('servers.detail.noServices')}</p>
      ) : (
        <ul className="service-list">
          {services.map((service) => (
            <li key={service.id} data-testid="service-item">
              <CheckBadge state={stateOf(service.id)} />
              <span className="service-name">{service.name}</span>
              <span className="server-tag">{t(`servers.kinds.${service.kind}`)}</span>
              <span className="muted service-where">{[service.url, service.unit, service.port === null ? null : `:${service.port}`].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A problem reaching the server: a host key to confirm gets its own panel, anything else a plain notice. */
function ConnectionProblem({ detail }: { detail: ServerDetail }) {
  const { t } = useTranslation();
  const acceptHostKey = useServersStore((s) => s.acceptHostKey);
  const error = detail.summary.lastError;
  if (!error) return null;
  const { details } = error;
  if (error.code === 'ssh_host_key_changed' && isText(details.actual)) {
    return <HostKeyPanel kind="changed" fingerprint={details.actual} expected={isText(details.expected) ? details.expected : null} onAccept={() => void acceptHostKey(detail.server.id, details.actual as string)} />;
  }
  if (error.code === 'ssh_host_key_unknown' && isText(details.fingerprint)) {
    return <HostKeyPanel kind="unknown" fingerprint={details.fingerprint} onAccept={() => void acceptHostKey(detail.server.id, details.fingerprint as string)} />;
  }
  if (error.code === 'server_key_missing_here') {
    // A server of the team, added on another computer: this one needs its volunteer's own key first.
    return (
      <div className="notice warning" role="status" data-testid="server-key-missing">
        <KeyRound size={16} className="notice-icon" aria-hidden />
        <div className="notice-body">
          <div className="notice-title">{t('servers.detail.keyMissingTitle')}</div>
          <p className="notice-text">{t('servers.detail.keyMissingText')}</p>
          <div className="actions">
            <Link className="button small primary" to={`/servers/${detail.server.id}/edit`} data-testid="server-set-key">
              <KeyRound size={14} />
              {t('servers.detail.setKey')}
            </Link>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="notice danger" role="alert" data-testid="server-error">
      <div className="notice-body">
        <div className="notice-title">{t('servers.detail.lastError')}</div>
        <p className="notice-text">{errorMessage({ code: error.code, message: '', details })}</p>
      </div>
    </div>
  );
}

export function ServerPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  useIncidentNotifications();
  const detail = useServersStore((s) => (s.detail?.server.id === id ? s.detail : null));
  const detailError = useServersStore((s) => s.detailError);
  const sweeping = useServersStore((s) => s.sweeping);
  const { loadDetail, sweep, setMaintenance, deleteServer } = useServersStore.getState();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const now = useNow(10_000);

  useEffect(() => {
    void loadDetail(id);
  }, [id, loadDetail]);

  if (!detail) {
    return <DetailFallback error={detailError} backTo="/servers" backLabel={t('servers.form.backToFleet')} />;
  }

  const { server, summary } = detail;
  const inMaintenance = server.maintenanceUntil !== null && new Date(server.maintenanceUntil).getTime() > now;
  const incidents = [...detail.incidents].sort(byUrgency);

  return (
    <div className="page page-wide">
      <header className="page-header server-header">
        <div>
          <BackLink to="/servers" label={t('servers.form.backToFleet')} />
          <div className="server-title">
            <HealthDot colour={summary.colour} large />
            <h1 data-testid="server-name">{server.name}</h1>
          </div>
          <div className="page-subtitle server-subtitle">
            <code>{`${server.username}@${server.host}:${server.port}`}</code>
            <MaintenanceBadge until={server.maintenanceUntil} />
            <Tags tags={server.tags} />
          </div>
        </div>
        <div className="actions server-actions">
          <Link className="button" to={`/servers/${id}/edit`} data-testid="server-edit">
            <Pencil size={16} />
            {t('servers.detail.edit')}
          </Link>
          <button className="button" type="button" onClick={() => void sweep(id)} disabled={sweeping} data-testid="sweep-server">
            <RefreshCw size={16} className={sweeping ? 'spin' : undefined} />
            {t(sweeping ? 'servers.sweeping' : 'servers.sweepNow')}
          </button>
          <MaintenanceMenu inMaintenance={inMaintenance} onChoose={(choice) => void setMaintenance(id, maintenanceUntil(choice))} />
          <button className="button danger-outline" type="button" onClick={() => setConfirmDelete(true)} data-testid="server-delete">
            <Trash2 size={16} />
            {t('servers.detail.delete')}
          </button>
        </div>
      </header>

      <ConnectionProblem detail={detail} />

      <section className="card server-overview">
        <UsageBar label={t('servers.metrics.cpu')} percent={summary.cpuPercent} />
        <UsageBar label={t('servers.metrics.memory')} percent={summary.memoryPercent} />
        <UsageBar label={t('servers.metrics.disk')} percent={summary.diskPercent} />
        <div className="muted server-last-sweep" data-testid="server-last-sweep">
          {summary.lastSweepAt ? t('servers.fleet.lastSweep', { when: formatRelative(summary.lastSweepAt, now, i18n.language) }) : t('servers.fleet.neverSwept')}
        </div>
      </section>

      <ServicesCard detail={detail} />
      <ChecksCard detail={detail} now={now} />

      <section className="server-incidents" data-testid="server-incidents">
        <h2>{t('sections.incidents.title')}</h2>
        {incidents.length === 0 ? <p className="muted">{t('servers.detail.noIncidents')}</p> : incidents.map((incident) => <IncidentCard key={incident.id} incident={incident} showServer={false} />)}
      </section>

      <ResourceUsage detail={detail} />

      <RulesCard key={JSON.stringify(detail.rules)} serverId={id} rules={detail.rules} />

      {server.notes ? (
        <section className="card">
          <h2 className="card-title">{t('servers.fields.notes')}</h2>
          <p className="server-notes">{server.notes}</p>
        </section>
      ) : null}

      {confirmDelete ? (
        <ConfirmDialog
          title={t('servers.detail.deleteTitle', { name: server.name })}
          confirmLabel={t('servers.detail.delete')}
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            if (await deleteServer(id)) void navigate('/servers');
            else setConfirmDelete(false);
          }}
        >
          {t('servers.detail.deleteText')}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
