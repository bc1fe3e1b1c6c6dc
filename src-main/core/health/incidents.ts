// Incidents: opened when a rule fires, resolved when it clears, acknowledged by a volunteer, annotated. Each keeps
// its timeline. Writes happen inside the caller's transaction; the returned changes are emitted once it committed,
// because 'incidents.changed' is also the notification and must never announce a rolled-back incident.
import type { Incident, IncidentEvent, RuleId } from '../../contract';
import type { PayloadOf } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import type { ObservedValue } from './rules';
import { writeTransaction } from '../db/write-transaction';
import { mergeTwins, twinGroups } from './incident-twins';

export type IncidentChange = PayloadOf<'incidents.changed'>;

interface IncidentRow {
  id: string;
  server_id: string;
  server_name: string;
  service_id: string | null;
  service_name: string | null;
  rule_id: RuleId;
  subject: string;
  server_deleted_at: string | null;
  status: Incident['status'];
  cause: string;
  first_failure_at: string;
  opened_at: string;
  alerted_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
}

const SELECT = `select i.*, s.name as server_name, s.deleted_at as server_deleted_at, v.name as service_name
  from incidents i join servers s on s.id = i.server_id left join services v on v.id = i.service_id`;

export interface OpenRequest {
  serverId: string;
  ruleId: RuleId;
  subject: string;
  serviceId: string | null;
  cause: { code: string | null; value: ObservedValue };
  firstFailureAt: string;
  /** A maintenance window: the incident is recorded but nobody is alerted. */
  muted: boolean;
}

/** The contract's incident: the subject is how rows are told apart, not something to show. */
const shown = ({ subject, ...incident }: Incident & { subject?: string }): Incident => incident;

export class IncidentsService {
  constructor(private readonly core: Core) {}

  list(filter: { status: 'open' | 'all'; serverId: string | null }): Incident[] {
    // An unresolved incident's twins may have ended already: every row of the rules and subjects concerned is read.
    const rows = this.core.db
      .prepare(
        `${SELECT} where (? is null or i.server_id = ?) and (? = 'all' or (s.deleted_at is null and exists (select 1 from incidents u
           where u.server_id = i.server_id and u.rule_id = i.rule_id and u.subject = i.subject and u.status <> 'resolved')))
         order by i.opened_at desc, i.rowid desc`,
      )
      .all(filter.serverId, filter.serverId, filter.status) as IncidentRow[];
    const order = new Map(rows.map((row, i) => [row.id, i]));
    return twinGroups(rows.map((row) => this.withSubject(row)))
      .map((group) => shown(mergeTwins(group)))
      .filter((incident) => filter.status === 'all' || incident.status !== 'resolved')
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }

  /** The incident as shown: with its twins, when two laptops opened one each (incident-twins.ts). */
  get(id: string): Incident {
    const row = this.core.db.prepare(`${SELECT} where i.id = ?`).get(id) as IncidentRow | undefined;
    if (!row) throw new CoreError('incident_not_found', `No incident ${id}.`, { id });
    const rows = this.core.db.prepare(`${SELECT} where i.server_id = ? and i.rule_id = ? and i.subject = ?`).all(row.server_id, row.rule_id, row.subject) as IncidentRow[];
    const group = twinGroups(rows.map((r) => this.withSubject(r))).find((g) => g.some((i) => i.id === id)) ?? [this.withSubject(row)];
    return shown(mergeTwins(group));
  }

  /** Unresolved rows of a rule and subject: one, or twins opened by two laptops offline. */
  private unresolved(serverId: string, ruleId: RuleId, subject: string): string[] {
    return this.core.db
      .prepare(`select id from incidents where server_id = ? and rule_id = ? and subject = ? and status <> 'resolved' order by opened_at, id`)
      .pluck()
      .all(serverId, ruleId, subject) as string[];
  }

  /**
   * Call inside a transaction; returns the notification to emit after commit, or null when muted or when the team
   * already has this incident open (another laptop saw it first: this one joins it).
   */
  open(request: OpenRequest): IncidentChange | null {
    if (this.unresolved(request.serverId, request.ruleId, request.subject).length > 0) return null;
    const now = isoNow(this.core.clock);
    const id = newId();
    this.core.db
      .prepare(
        `insert into incidents (id, server_id, service_id, rule_id, subject, status, cause, first_failure_at, opened_at,
           alerted_at, created_at, updated_at) values (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, request.serverId, request.serviceId, request.ruleId, request.subject, JSON.stringify(request.cause), request.firstFailureAt, now, request.muted ? null : now, now, now);
    this.addEvent(id, request.firstFailureAt, 'first_failure');
    this.addEvent(id, now, 'opened');
    if (request.muted) return null;
    this.addEvent(id, now, 'alerted');
    return { incident: this.get(id), change: 'opened' };
  }

  /** Call inside a transaction: resolves the rule's unresolved incident on that subject (and its twins), if any. */
  resolve(serverId: string, ruleId: RuleId, subject: string): IncidentChange | null {
    const ids = this.unresolved(serverId, ruleId, subject);
    if (ids.length === 0) return null;
    const now = isoNow(this.core.clock);
    const end = this.core.db.prepare(`update incidents set status = 'resolved', resolved_at = ?, updated_at = ? where id = ? returning alerted_at`).pluck();
    let alerted = false;
    for (const id of ids) {
      if (end.get(now, now, id) !== null) alerted = true;
      this.addEvent(id, now, 'resolved');
    }
    // Nobody was told about a muted incident, so nobody needs telling that it ended.
    return alerted ? { incident: this.get(ids[0] ?? ''), change: 'resolved' } : null;
  }

  /**
   * Call inside a transaction: alerts the server's open incidents that were muted by a maintenance window now over.
   * Acknowledged ones stay silent: someone is already on them.
   */
  alertMuted(serverId: string): IncidentChange[] {
    const ids = this.core.db
      .prepare(`select id from incidents where server_id = ? and status = 'open' and alerted_at is null`)
      .pluck()
      .all(serverId) as string[];
    const now = isoNow(this.core.clock);
    return ids.map((id) => {
      this.core.db.prepare('update incidents set alerted_at = ?, updated_at = ? where id = ?').run(now, now, id);
      this.addEvent(id, now, 'alerted');
      return { incident: this.get(id), change: 'opened' as const };
    });
  }

  acknowledge(id: string): Incident {
    const incident = writeTransaction(this.core.db, () => {
      const before = this.get(id);
      if (before.status === 'resolved') throw new CoreError('incident_resolved', 'This incident is already resolved.', { id });
      if (before.status === 'acknowledged') return null;
      const now = isoNow(this.core.clock);
      const actor = this.actor();
      // Its twins too: whichever row another laptop shows, it shows someone is on it.
      const ack = this.core.db.prepare(
        `update incidents set status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ? where id = ? and status = 'open'`,
      );
      for (const twin of this.unresolved(before.serverId, before.ruleId, this.subjectOf(id))) ack.run(now, actor, now, twin);
      this.addEvent(id, now, 'acknowledged', actor);
      return this.get(id);
    });
    if (incident === null) return this.get(id);
    this.core.events.emit('incidents.changed', { incident, change: 'acknowledged' });
    return incident;
  }

  addNote(id: string, text: string): Incident {
    const incident = writeTransaction(this.core.db, () => {
      this.get(id);
      const now = isoNow(this.core.clock);
      this.addEvent(id, now, 'note', this.actor(), text);
      this.core.db.prepare('update incidents set updated_at = ? where id = ?').run(now, id);
      return this.get(id);
    });
    this.core.events.emit('incidents.changed', { incident, change: 'note' });
    return incident;
  }

  /** Unresolved incidents per server and status, for the fleet's colours; twins count once. */
  unresolvedCounts(): Map<string, { open: number; acknowledged: number }> {
    const rows = this.core.db
      .prepare(
        `select server_id, sum(not acknowledged) as open, sum(acknowledged) as acknowledged from (
           select server_id, max(status = 'acknowledged') as acknowledged from incidents where status <> 'resolved' group by server_id, rule_id, subject
         ) group by server_id`,
      )
      .all() as { server_id: string; open: number; acknowledged: number }[];
    return new Map(rows.map((r) => [r.server_id, { open: r.open, acknowledged: r.acknowledged }]));
  }

  private actor(): string | null {
    const name = this.core.settings.get().volunteerName.trim();
    return name === '' ? null : name;
  }

  private addEvent(incidentId: string, at: string, kind: IncidentEvent['kind'], actor: string | null = null, text: string | null = null): void {
    this.core.db
      .prepare('insert into incident_events (id, incident_id, at, kind, actor, text, created_at) values (?, ?, ?, ?, ?, ?, ?)')
      .run(newId(), incidentId, at, kind, actor, text, isoNow(this.core.clock));
  }

  private subjectOf(id: string): string {
    return this.core.db.prepare('select subject from incidents where id = ?').pluck().get(id) as string;
  }

  private withSubject(row: IncidentRow): Incident & { subject: string } {
    return { ...this.toIncident(row), subject: row.subject };
  }

  private toIncident(row: IncidentRow): Incident {
    const timeline = this.core.db
      // Events arrive from several laptops in any order: ties are broken by what they are, never by arrival.
      .prepare(
        `select at, kind, actor, text from incident_events where incident_id = ?
         order by at, case kind when 'first_failure' then 0 when 'opened' then 1 when 'alerted' then 2 when 'acknowledged' then 3 when 'note' then 4 else 5 end,
           created_at, id`,
      )
      .all(row.id) as IncidentEvent[];
    return {
      id: row.id,
      serverId: row.server_id,
      serverName: row.server_name,
      serviceId: row.service_id,
      serviceName: row.service_name,
      ruleId: row.rule_id,
      status: row.status,
      cause: JSON.parse(row.cause) as Incident['cause'],
      firstFailureAt: row.first_failure_at,
      openedAt: row.opened_at,
      acknowledgedAt: row.acknowledged_at,
      acknowledgedBy: row.acknowledged_by,
      resolvedAt: row.resolved_at,
      timeline,
    };
  }
}
