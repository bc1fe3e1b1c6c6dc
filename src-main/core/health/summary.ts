// What the fleet page shows per server, read from the last sweep, the check states and the unresolved incidents.
// The colour is computed on read: acknowledging an incident changes it without waiting for the next sweep.
import type { HealthColour, RuleId, Server, ServerSummary } from '../../contract';
import { needsKeyHere } from '../../contract/servers';
import type { Core } from '../core';
import { hasPendingFailures } from './check-states';
import type { IncidentsService } from './incidents';
import { judgedRules } from './rules';
import { underMaintenance } from './servers-service';
import { keyMissingHere } from './ssh-target';

/** Stored in `sweeps.summary`. */
export interface SweepMetrics {
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
  cpuCount: number | null;
}

interface SweepRow {
  at: string;
  ok: number;
  error_code: string | null;
  error_details: string | null;
  summary: string;
}

export function lastSweep(core: Core, serverId: string): SweepRow | null {
  return (core.db.prepare('select at, ok, error_code, error_details, summary from sweeps where server_id = ?').get(serverId) as SweepRow | undefined) ?? null;
}

/** The rules the last sweep could judge: the others show as 'unknown'. */
export function lastJudged(core: Core, serverId: string): Set<RuleId> {
  const sweep = lastSweep(core, serverId);
  return new Set(judgedRules(sweep === null || sweep.ok === 1));
}

export function summarize(
  core: Core,
  server: Pick<Server, 'id' | 'name' | 'host' | 'tags' | 'maintenanceUntil' | 'auth'>,
  counts: ReturnType<IncidentsService['unresolvedCounts']>,
): ServerSummary {
  // From another laptop of the team, and no login set here yet: never swept from here, and it says why.
  if (needsKeyHere(server)) return notSetUpHere(server, counts);
  const sweep = lastSweep(core, server.id);
  const metrics = sweep === null ? null : (JSON.parse(sweep.summary) as Partial<SweepMetrics>);
  const incidents = counts.get(server.id) ?? { open: 0, acknowledged: 0 };
  return {
    id: server.id,
    name: server.name,
    host: server.host,
    tags: server.tags,
    colour: colourOf(core, server.id, sweep, incidents, underMaintenance(core, server)),
    lastSweepAt: sweep?.at ?? null,
    lastError:
      sweep?.error_code == null
        ? null
        : { code: sweep.error_code, details: sweep.error_details === null ? {} : (JSON.parse(sweep.error_details) as Record<string, unknown>) },
    cpuPercent: metrics?.cpuPercent ?? null,
    memoryPercent: metrics?.memoryPercent ?? null,
    diskPercent: metrics?.diskPercent ?? null,
    cpuCount: metrics?.cpuCount ?? null,
    openIncidents: incidents.open + incidents.acknowledged,
    maintenanceUntil: server.maintenanceUntil,
  };
}

function notSetUpHere(server: Pick<Server, 'id' | 'name' | 'host' | 'tags' | 'maintenanceUntil'>, counts: ReturnType<IncidentsService['unresolvedCounts']>): ServerSummary {
  const incidents = counts.get(server.id) ?? { open: 0, acknowledged: 0 };
  const { code, details } = keyMissingHere(server);
  return {
    id: server.id,
    name: server.name,
    host: server.host,
    tags: server.tags,
    colour: 'grey',
    lastSweepAt: null,
    lastError: { code, details: details ?? {} },
    cpuPercent: null,
    memoryPercent: null,
    diskPercent: null,
    cpuCount: null,
    openIncidents: incidents.open + incidents.acknowledged,
    maintenanceUntil: server.maintenanceUntil,
  };
}

/**
 * grey: never swept. red: an incident nobody acknowledged, or the server unreachable (unless someone acknowledged
 * that). amber: someone is on it, a check fails without having fired yet, or a maintenance window. green otherwise.
 */
function colourOf(
  core: Core,
  serverId: string,
  sweep: SweepRow | null,
  incidents: { open: number; acknowledged: number },
  inMaintenance: boolean,
): HealthColour {
  if (sweep === null) return 'grey';
  if (inMaintenance) return 'amber';
  if (incidents.open > 0) return 'red';
  if (sweep.ok === 0 && !unreachableAcknowledged(core, serverId)) return 'red';
  if (incidents.acknowledged > 0 || sweep.ok === 0 || hasPendingFailures(core, serverId)) return 'amber';
  return 'green';
}

function unreachableAcknowledged(core: Core, serverId: string): boolean {
  return (
    core.db
      .prepare(`select 1 from incidents where server_id = ? and rule_id = 'server_unreachable' and status = 'acknowledged'`)
      .get(serverId) !== undefined
  );
}
