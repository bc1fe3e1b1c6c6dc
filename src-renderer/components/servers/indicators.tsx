import { Wrench } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { CheckState, HealthColour, Incident } from '../../../src-main/contract';
import { formatClock, formatPercent } from './figures';
import { useNow } from './use-now';

/** A server's overall health as a coloured dot with its meaning for screen readers and tooltips. */
export function HealthDot({ colour, large }: { colour: HealthColour; large?: boolean }) {
  const { t } = useTranslation();
  const label = t(`servers.colour.${colour}`);
  return <span className={`health-dot health-${colour}${large ? ' large' : ''}`} role="img" aria-label={label} title={label} data-colour={colour} />;
}

/** A small labelled bar: CPU, memory or the fullest disk. */
export function UsageBar({ label, percent }: { label: string; percent: number | null }) {
  const { i18n } = useTranslation();
  const level = percent === null ? 'none' : percent >= 90 ? 'high' : percent >= 75 ? 'mid' : 'low';
  return (
    <div className="usage">
      <span className="usage-label">{label}</span>
      <span className="usage-track" aria-hidden>
        <span className={`usage-fill usage-${level}`} style={{ width: `${Math.min(100, Math.max(0, percent ?? 0))}%` }} />
      </span>
      <span className="usage-value">{percent === null ? '—' : formatPercent(percent, i18n.language)}</span>
    </div>
  );
}

export function CheckBadge({ state }: { state: CheckState['state'] }) {
  const { t } = useTranslation();
  return (
    <span className={`check-badge check-${state}`} data-testid="check-state" data-state={state}>
      {t(`servers.checkState.${state}`)}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: Incident['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`check-badge incident-${status}`} data-testid="incident-status" data-status={status}>
      {t(`incidents.status.${status}`)}
    </span>
  );
}

/** Alerts muted until a time: shown wherever the server is, so nobody wonders why it stays silent. */
export function MaintenanceBadge({ until }: { until: string | null }) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  if (!until || new Date(until).getTime() <= now) return null;
  return (
    <span className="maintenance-badge" data-testid="maintenance-badge">
      <Wrench size={12} aria-hidden />
      {t('servers.maintenance.until', { time: formatClock(until, now, i18n.language) })}
    </span>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="server-tags">
      {tags.map((tag) => (
        <span key={tag} className="server-tag">
          {tag}
        </span>
      ))}
    </span>
  );
}
