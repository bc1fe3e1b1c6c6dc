import { Check, MessageSquarePlus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../../src-main/contract';
import { formatDateTime } from '../members/format';
import { useServersStore } from '../../stores/servers-store';
import { IncidentStatusBadge } from './indicators';
import { useNow } from './use-now';
import { formatDuration } from './figures';
import { formatCause, incidentSubject } from './format';

/** Open incidents first, then the most recent. */
export const byUrgency = (a: Incident, b: Incident): number =>
  Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.openedAt.localeCompare(a.openedAt);

function Timeline({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="timeline" data-testid="incident-timeline">
      {incident.timeline.map((event, index) => (
        <li key={`${event.at}-${index}`} className={`timeline-${event.kind}`}>
          <span className="timeline-time">{formatDateTime(event.at, i18n.language)}</span>
          <span className="timeline-text">
            {t(`incidents.timeline.${event.kind}`, { actor: event.actor ?? t('incidents.someone') })}
            {event.text ? <span className="timeline-note-text">{event.text}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** One incident: what, since when, why, who is on it — with the actions to acknowledge and add notes. */
export function IncidentCard({ incident, showServer }: { incident: Incident; showServer: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const acknowledge = useServersStore((s) => s.acknowledge);
  const addNote = useServersStore((s) => s.addNote);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [expanded, setExpanded] = useState(incident.status !== 'resolved');
  const end = incident.resolvedAt ? new Date(incident.resolvedAt).getTime() : now;
  const cause = formatCause(incident.cause.code, incident.cause.value, t, i18n.language);

  async function run(action: () => Promise<boolean>, after?: () => void) {
    setBusy(true);
    if (await action()) after?.();
    setBusy(false);
  }

  return (
    <article className={`card incident incident-card-${incident.status}`} data-testid="incident" data-status={incident.status}>
      <header className="incident-head">
        <IncidentStatusBadge status={incident.status} />
        <h3 className="incident-title">
          {incidentSubject(incident, t)}
          {showServer ? (
            <>
              <span className="muted">{t('incidents.on')}</span>
              <Link to={`/servers/${incident.serverId}`}>{incident.serverName}</Link>
            </>
          ) : null}
        </h3>
        <span className="incident-duration" title={t('incidents.duration')} data-testid="incident-duration">
          {formatDuration(end - new Date(incident.firstFailureAt).getTime(), i18n.language)}
        </span>
      </header>
      {cause ? (
        <p className="incident-cause" data-testid="incident-cause">
          {cause}
        </p>
      ) : null}
      <div className="incident-meta">
        <span>{t('incidents.openedAt', { time: formatDateTime(incident.openedAt, i18n.language) })}</span>
        {incident.acknowledgedAt ? (
          <span>{t('incidents.acknowledgedBy', { actor: incident.acknowledgedBy ?? t('incidents.someone') })}</span>
        ) : null}
        {incident.resolvedAt ? <span>{t('incidents.resolvedAt', { time: formatDateTime(incident.resolvedAt, i18n.language) })}</span> : null}
        <button className="link-button" type="button" onClick={() => setExpanded(!expanded)} aria-expanded={expanded}>
          {t(expanded ? 'incidents.hideTimeline' : 'incidents.showTimeline')}
        </button>
      </div>
      {expanded ? (
        <>
          <Timeline incident={incident} />
          <form
            className="incident-actions"
            onSubmit={(event) => {
              event.preventDefault();
              if (note.trim()) void run(() => addNote(incident.id, note.trim()), () => setNote(''));
            }}
          >
            <input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder={t('incidents.notePlaceholder')}
              aria-label={t('incidents.note')}
              maxLength={5000}
              data-testid="incident-note"
            />
            <button className="button" type="submit" disabled={busy || note.trim() === ''} data-testid="incident-add-note">
              <MessageSquarePlus size={16} />
              {t('incidents.addNote')}
            </button>
            {incident.status === 'open' ? (
              <button className="button primary" type="button" disabled={busy} onClick={() => void run(() => acknowledge(incident.id))} data-testid="incident-acknowledge">
                <Check size={16} />
                {t('incidents.acknowledge')}
              </button>
            ) : null}
          </form>
        </>
      ) : null}
    </article>
  );
}
