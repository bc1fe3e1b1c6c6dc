// One sweep of one server: ONE probe exec over the shared SSH pool, the HTTP checks from this laptop, the rules, the
// check states and incidents, the stored summary. Every failure stays this server's: it becomes an error code on the
// sweep and an observation of `server_unreachable`, and never holds up another server's sweep.
import type { Server, ServerSummary } from '../../contract';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { command, type RemoteCommand, type SshPool } from '../ssh';
import { backupObservations } from '../backups/backup-health';
import { forecastObservations } from '../metrics/forecast';
import { ingestSample } from '../metrics/ingest';
import { sweepValues } from '../metrics/sweep-values';
import { advanceChecks } from './check-states';
import { healthFacts, probedServices, sweepMetrics } from './facts';
import { IncidentsService } from './incidents';
import { checkHttp } from './probe/http-check';
import { parseProbe, type ProbeSample } from './probe/parse-probe';
import { deriveMetrics } from './probe/probe-delta';
import { probeScript } from './probe/probe-script';
import { evaluate, judgedRules, type HealthFacts, type HttpObservation } from './rules';
import { ServersService, underMaintenance } from './servers-service';
import { assertLoginHere, sshTargetFor } from './ssh-target';
import { summarize, type SweepMetrics } from './summary';
import { writeTransaction } from '../db/write-transaction';

const HTTP_TIMEOUT_MS = 10_000;

export interface SweepOptions {
  /** Test seam: run this instead of the probe script (e.g. a command printing garbage). */
  probeCommand?: (server: Server) => RemoteCommand;
}

interface ProbeOutcome {
  sample: ProbeSample | null;
  sampleAtMs: number | null;
  failure: { code: string; details: Record<string, unknown> } | null;
}

/** Sweeps in flight, per core and server: a second request for a server being swept shares the running one. */
const inFlight = new WeakMap<Core, Map<string, Promise<ServerSummary>>>();

export function sweepServer(core: Core, pool: SshPool, serverId: string, options: SweepOptions = {}): Promise<ServerSummary> {
  let running = inFlight.get(core);
  if (running === undefined) inFlight.set(core, (running = new Map<string, Promise<ServerSummary>>()));
  const existing = running.get(serverId);
  if (existing !== undefined) return existing;
  const sweep = runSweep(core, pool, serverId, options).finally(() => running.delete(serverId));
  running.set(serverId, sweep);
  return sweep;
}

/** All live servers (or one) at once: a slow or dead server costs only its own timeouts. */
export async function sweepServers(core: Core, pool: SshPool, serverId: string | null, options: SweepOptions = {}): Promise<ServerSummary[]> {
  const servers = new ServersService(core);
  const ids = serverId === null ? servers.list().map((s) => s.id) : [servers.getLive(serverId).id];
  const results = await Promise.allSettled(ids.map((id) => sweepServer(core, pool, id, options)));
  // A sweep only rejects on a bug or a database error: that server is reported from its last stored state.
  const counts = new IncidentsService(core).unresolvedCounts();
  return results.map((result, i) => (result.status === 'fulfilled' ? result.value : summarize(core, servers.get(ids[i] ?? ''), counts)));
}

async function runSweep(core: Core, pool: SshPool, serverId: string, options: SweepOptions): Promise<ServerSummary> {
  const servers = new ServersService(core);
  const incidents = new IncidentsService(core);
  const server = servers.getLive(serverId);
  // Not set up on this laptop yet (a server from another laptop of the team): nothing is tried, nothing is judged.
  assertLoginHere(server);
  const previous = storedSample(core, serverId);
  const [probe, http] = await Promise.all([runProbe(core, pool, servers, server, options), httpChecks(server)]);

  let facts: HealthFacts | null = null;
  let metrics: SweepMetrics | null = null;
  let history: Map<string, number> | null = null;
  if (probe.sample !== null) {
    const elapsedMs = previous === null || probe.sampleAtMs === null ? 0 : probe.sampleAtMs - previous.atMs;
    const derived = deriveMetrics(previous?.sample ?? null, probe.sample, elapsedMs);
    facts = healthFacts(probe.sample, derived, server.services);
    metrics = sweepMetrics(derived, probe.sample.cpuCount);
    history = sweepValues(probe.sample, derived);
  }
  const rules = servers.rules(serverId);
  const now = core.clock.now();
  const observations = [
    ...evaluate(facts, http, probe.failure, rules),
    ...(probe.sample === null ? [] : forecastObservations(core, serverId, rules, now)),
    ...backupObservations(core, serverId, rules, now),
  ].filter((o) => rules[o.ruleId].enabled);
  const changes = writeTransaction(core.db, () => {
    // The server may have been deleted while its probe ran.
    const current = servers.getLive(serverId);
    const found = advanceChecks(core, incidents, {
      serverId,
      observations,
      judged: judgedRules(probe.sample !== null),
      rules,
      muted: underMaintenance(core, current),
    });
    storeSweep(core, serverId, probe, metrics);
    if (history !== null) ingestSample(core.db, serverId, now.getTime(), history);
    return found;
  });
  for (const change of changes) core.events.emit('incidents.changed', change);
  core.events.emit('health.updated', { serverIds: [serverId] });
  return summarize(core, servers.get(serverId), incidents.unresolvedCounts());
}

async function runProbe(core: Core, pool: SshPool, servers: ServersService, server: Server, options: SweepOptions): Promise<ProbeOutcome> {
  try {
    const target = await sshTargetFor(core, server, servers.sealedPassphrase(server.id));
    const cmd =
      options.probeCommand?.(server) ??
      // The script is ours; the service values inside it are validated and quoted by probeScript. Pending upgrades
      // cost about a second of the server's CPU and no rule reads them yet: not counted on every sweep.
      command('sh', '-c', probeScript(probedServices(server.services).map(({ id, unit, process, port }) => ({ id, unit, process, port })), { upgrades: false }));
    // Bounded by the pool's connect and exec deadlines (pool-for-core.ts), well within the default 30 s interval.
    const result = await pool.exec(target, cmd);
    const sampleAtMs = Date.now();
    return { sample: parseProbe(result.stdout), sampleAtMs, failure: null };
  } catch (error) {
    return { sample: null, sampleAtMs: null, failure: failureOf(error) };
  }
}

/** A stable code and safe details: CoreErrors carry both; anything else is a bug reported without its text. */
function failureOf(error: unknown): { code: string; details: Record<string, unknown> } {
  if (error instanceof CoreError) return { code: error.code, details: error.details ?? {} };
  return { code: 'probe_failed', details: {} };
}

function httpChecks(server: Server): Promise<HttpObservation[]> {
  return Promise.all(
    server.services
      .filter((s) => s.url !== '')
      .map(async (s) => {
        const r = await checkHttp(s.url, { timeoutMs: HTTP_TIMEOUT_MS, ...(s.expectText === '' ? {} : { expectText: s.expectText }) });
        return { serviceId: s.id, ok: r.ok, status: r.status, latencyMs: r.latencyMs === null ? null : Math.round(r.latencyMs), error: r.error, tlsDaysLeft: r.tlsDaysLeft };
      }),
  );
}

function storedSample(core: Core, serverId: string): { sample: ProbeSample; atMs: number } | null {
  const row = core.db.prepare('select sample, sample_at_ms from sweeps where server_id = ?').get(serverId) as
    | { sample: string | null; sample_at_ms: number | null }
    | undefined;
  if (row?.sample == null || row.sample_at_ms === null) return null;
  return { sample: JSON.parse(row.sample) as ProbeSample, atMs: row.sample_at_ms };
}

/** A failed sweep keeps the last good sample, so the next good one still has a base for its rates. */
function storeSweep(core: Core, serverId: string, probe: ProbeOutcome, metrics: SweepMetrics | null): void {
  const at = core.clock.now().toISOString();
  const failure = probe.failure;
  core.db
    .prepare(
      `insert into sweeps (server_id, at, ok, error_code, error_details, sample, sample_at_ms, summary) values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (server_id) do update set at = excluded.at, ok = excluded.ok, error_code = excluded.error_code,
         error_details = excluded.error_details, sample = coalesce(excluded.sample, sweeps.sample),
         sample_at_ms = coalesce(excluded.sample_at_ms, sweeps.sample_at_ms), summary = excluded.summary`,
    )
    .run(
      serverId,
      at,
      failure === null ? 1 : 0,
      failure?.code ?? null,
      failure === null ? null : JSON.stringify(failure.details),
      probe.sample === null ? null : JSON.stringify(probe.sample),
      probe.sampleAtMs,
      JSON.stringify(metrics ?? { cpuPercent: null, memoryPercent: null, diskPercent: null, cpuCount: null }),
    );
}
