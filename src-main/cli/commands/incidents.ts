// `pelote incidents [--all]` and `pelote incidents ack ID [--note TEXT]`: the team's incidents from a headless machine.
// Listing exits 1 while an incident nobody acknowledged is open, so cron can watch it.
import type { Incident } from '../../contract';
import { contract } from '../../contract';
import type { Core } from '../../core/core';
import { CoreError } from '../../core/errors';
import { IncidentsService } from '../../core/health/incidents';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';
import { openCliCore } from '../open-cli-core';

export interface IncidentsOptions {
  all: boolean;
  note?: string;
}

const USAGE = 'incidents [--all] | incidents ack ID [--note TEXT]';
/** Enough of a UUID to name one incident among thousands; the listing shows 8. */
const MIN_PREFIX = 6;
const short = (id: string): string => id.slice(0, 8);

/** `incidents …`: list (exit 1 while one is open and unacknowledged) or acknowledge one. */
export function incidentsCommand(ctx: CliContext, args: string[], options: IncidentsOptions): number {
  const [sub, ref, ...extra] = args;
  if (sub === undefined) {
    if (options.note !== undefined) throw new UsageError('--note goes with incidents ack ID');
    return list(ctx, options.all);
  }
  if (sub !== 'ack' || extra.length > 0) throw new UsageError(USAGE);
  if (ref === undefined) throw new UsageError('incidents ack needs an ID (as listed by pelote incidents)');
  if (options.all) throw new UsageError('--all goes with incidents, not incidents ack');
  if (ref.length < MIN_PREFIX) throw new UsageError(`incidents ack ID: give at least ${MIN_PREFIX} characters of the incident's id`);
  // Checked before the database is opened, by the contract's own rule: a refused note acknowledges nothing.
  const note = options.note === undefined ? null : noteText(options.note);
  return acknowledge(ctx, ref, note);
}

function list(ctx: CliContext, all: boolean): number {
  const core = openCliCore(ctx, 'cli');
  try {
    const incidents = new IncidentsService(core).list({ status: all ? 'all' : 'open', serverId: null });
    const open = incidents.some((i) => i.status === 'open');
    output(ctx, incidents, () => {
      if (incidents.length === 0) return all ? 'No incident.' : 'No open incident.';
      const hint = open ? ['Acknowledge one: pelote incidents ack ID [--note TEXT]'] : [];
      return [...incidents.map(describe), ...hint].join('\n');
    });
    return open ? 1 : 0;
  } finally {
    core.close();
  }
}

function acknowledge(ctx: CliContext, ref: string, note: string | null): number {
  const core = openCliCore(ctx, 'cli');
  try {
    const service = new IncidentsService(core);
    const found = findIncident(core, service, ref);
    // The UI's path: the volunteer name, the timeline entry, the twins another laptop opened.
    const before = found.status;
    let incident = service.acknowledge(found.id);
    if (note !== null) incident = service.addNote(incident.id, note);
    output(ctx, incident, () => {
      const by = incident.acknowledgedBy === null ? '' : ` by ${incident.acknowledgedBy}`;
      const what = `${short(incident.id)} (${incident.serverName}, ${title(incident)})`;
      const done = before === 'acknowledged' ? `Incident ${what} was already acknowledged${by}.` : `Acknowledged incident ${what}${by}.`;
      return note === null ? done : `${done} Note added.`;
    });
    return 0;
  } finally {
    core.close();
  }
}

/** By full id or unique prefix; twin rows (two laptops opened one each) count as the one incident they show. */
function findIncident(core: Core, service: IncidentsService, ref: string): Incident {
  const prefix = ref.toLowerCase();
  const ids = core.db.prepare('select id from incidents where substr(id, 1, ?) = ?').pluck().all(prefix.length, prefix) as string[];
  const matches = new Map(ids.map((id) => service.get(id)).map((incident) => [incident.id, incident]));
  if (matches.size > 1) throw new CoreError('incident_not_found', `Several incidents start with ${ref}: give more of its id.`, { id: ref });
  const [incident] = matches.values();
  if (incident === undefined) throw new CoreError('incident_not_found', `No incident ${ref}.`, { id: ref });
  return incident;
}

function noteText(text: string): string {
  const parsed = contract['incidents.addNote'].args.shape.text.safeParse(text);
  if (!parsed.success) throw new UsageError(`--note: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

/** The rule and what it is about (a service, a mount), as `pelote check` names rules. */
function title(incident: Incident): string {
  const mount = incident.cause.value.mount;
  const subject = incident.serviceName ?? (typeof mount === 'string' ? mount : null);
  return subject === null ? incident.ruleId : `${incident.ruleId} ${subject}`;
}

function describe(incident: Incident): string {
  const acknowledged = incident.acknowledgedAt === null ? '' : `  acknowledged${incident.acknowledgedBy === null ? '' : ` by ${incident.acknowledgedBy}`} at ${incident.acknowledgedAt}`;
  const resolved = incident.resolvedAt === null ? '' : `  resolved at ${incident.resolvedAt}`;
  return `${short(incident.id)}  ${incident.status.padEnd(12)}  ${incident.serverName}  ${title(incident)}  since ${incident.firstFailureAt}${acknowledged}${resolved}`;
}
