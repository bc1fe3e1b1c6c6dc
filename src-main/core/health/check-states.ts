// Each rule and subject's state across sweeps (the `check_states` table), advanced by one sweep's observations.
import type { CheckState, RuleId } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import type { IncidentChange, IncidentsService } from './incidents';
import { advance, FRESH, type CheckProgress, type Observation, type RuleSettings } from './rules';

interface StateRow {
  rule_id: RuleId;
  subject: string;
  service_id: string | null;
  state: 'ok' | 'failing' | 'unknown';
  value: string;
  consecutive_failures: number;
  consecutive_passes: number;
  since: string;
  error_code: string | null;
}

const keyOf = (ruleId: string, subject: string): string => `${ruleId}\0${subject}`;

/** The checks this laptop makes of a server's services from outside, which fail whenever the server is down. */
const FOLDED_INTO_UNREACHABLE: ReadonlySet<RuleId> = new Set(['http_failing', 'tls_expiring']);

function loadStates(core: Core, serverId: string): Map<string, StateRow> {
  const rows = core.db.prepare('select * from check_states where server_id = ?').all(serverId) as StateRow[];
  return new Map(rows.map((row) => [keyOf(row.rule_id, row.subject), row]));
}

/** For the server page; checks the last sweep could not judge (server unreachable) read as 'unknown'. */
export function checkStates(core: Core, serverId: string, judged: ReadonlySet<RuleId>): CheckState[] {
  return [...loadStates(core, serverId).values()]
    .sort((a, b) => a.rule_id.localeCompare(b.rule_id) || a.subject.localeCompare(b.subject))
    .map((row) => ({
      ruleId: row.rule_id,
      serviceId: row.service_id,
      state: judged.has(row.rule_id) ? (row.state === 'failing' || row.consecutive_failures > 0 ? 'failing' : 'ok') : 'unknown',
      value: JSON.parse(row.value) as CheckState['value'],
      consecutiveFailures: row.consecutive_failures,
      since: row.since,
      errorCode: row.error_code,
    }));
}

/** Whether some check fails without having fired yet (the fleet shows it amber). */
export function hasPendingFailures(core: Core, serverId: string): boolean {
  return core.db.prepare(`select 1 from check_states where server_id = ? and state = 'ok' and consecutive_failures > 0`).get(serverId) !== undefined;
}

/**
 * Advances every check by one sweep and opens or resolves incidents; call inside the sweep's transaction. Checks of a
 * judged rule that this sweep did not observe (a service removed, a rule disabled, a disk unmounted) count as
 * passing, so their incidents resolve instead of staying open forever.
 */
export function advanceChecks(
  core: Core,
  incidents: IncidentsService,
  input: { serverId: string; observations: Observation[]; judged: readonly RuleId[]; rules: RuleSettings; muted: boolean },
): IncidentChange[] {
  const now = isoNow(core.clock);
  const states = loadStates(core, input.serverId);
  const judged = new Set(input.judged);
  const observed = new Map(input.observations.map((o) => [keyOf(o.ruleId, o.subject), o]));
  for (const [key, row] of states) {
    if (!observed.has(key) && judged.has(row.rule_id)) {
      observed.set(key, { ruleId: row.rule_id, subject: row.subject, serviceId: row.service_id, failing: false, value: JSON.parse(row.value) as Observation['value'], errorCode: null });
    }
  }
  const upsert = core.db.prepare(
    `insert into check_states (server_id, rule_id, subject, service_id, state, value, consecutive_failures, consecutive_passes, since, error_code, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (server_id, rule_id, subject) do update set service_id = excluded.service_id, state = excluded.state,
       value = excluded.value, consecutive_failures = excluded.consecutive_failures, consecutive_passes = excluded.consecutive_passes,
       since = excluded.since, error_code = excluded.error_code, updated_at = excluded.updated_at`,
  );
  // A server that cannot be reached takes its services down with it: their failures, seen from this laptop, fold into
  // its one incident (one message) instead of opening one each. They stay pending, and open on their own if they still
  // fail once the server answers again.
  const serverDown = input.observations.some((o) => o.ruleId === 'server_unreachable' && o.failing);
  const changes: IncidentChange[] = [];
  for (const [key, o] of observed) {
    const row = states.get(key);
    const previous: CheckProgress =
      row === undefined || row.state === 'unknown'
        ? FRESH
        : { state: row.state, consecutiveFailures: row.consecutive_failures, consecutivePasses: row.consecutive_passes };
    const advanced = advance(previous, o.failing, input.rules[o.ruleId]);
    const folded = advanced.fire && serverDown && FOLDED_INTO_UNREACHABLE.has(o.ruleId);
    const step = folded ? { ...advanced, fire: false, progress: { ...advanced.progress, state: previous.state } } : advanced;
    // `since`: when the current streak began; once fired, when the first failure of the firing streak happened.
    const sameStreak = o.failing ? previous.consecutiveFailures > 0 : previous.consecutiveFailures === 0;
    const since = step.clear || row === undefined || (previous.state === 'ok' && !sameStreak) ? now : row.since;
    upsert.run(input.serverId, o.ruleId, o.subject, o.serviceId, step.progress.state, JSON.stringify(o.value), step.progress.consecutiveFailures, step.progress.consecutivePasses, since, o.errorCode, now);
    const change = step.fire
      ? incidents.open({ serverId: input.serverId, ruleId: o.ruleId, subject: o.subject, serviceId: o.serviceId, cause: { code: o.errorCode, value: o.value }, firstFailureAt: since, muted: input.muted })
      : step.clear
        ? incidents.resolve(input.serverId, o.ruleId, o.subject)
        : null;
    if (change !== null) changes.push(change);
  }
  if (!input.muted) changes.push(...incidents.alertMuted(input.serverId));
  return changes;
}
