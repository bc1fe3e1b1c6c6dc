/**
 * Server health at scale: 20 OpenSSH sshd fixtures on 127.0.0.1 swept through the real pool, against the naive way
 * (one OpenSSH `ssh host cmd` per check), the probe's CPU time on the target, and the process RSS while the real
 * scheduler sweeps for `BENCH_HEALTH_MINUTES` (default 10). Run with `npm run bench:health`; prints each figure next to its goal, never fails on one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Server } from '../src-main/contract';
import { command } from '../src-main/core/ssh';
import { probedServices } from '../src-main/core/health/facts';
import { closePoolFor, poolFor } from '../src-main/core/health/pool-for-core';
import { parseProbe } from '../src-main/core/health/probe/parse-probe';
import { probeScript } from '../src-main/core/health/probe/probe-script';
import { startHealthScheduler, type HealthScheduler } from '../src-main/core/health/scheduler';
import { ServersService } from '../src-main/core/health/servers-service';
import { sshTargetFor } from '../src-main/core/health/ssh-target';
import { sweepServers } from '../src-main/core/health/sweep';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { tempCore } from '../src-main/testing/temp-core';

const SERVERS = 20;
const WARM_SWEEPS = 5;
const NAIVE_ROUNDS = 3;
const RSS_SAMPLE_MS = 30_000;
const MINUTES = Number(process.env.BENCH_HEALTH_MINUTES ?? 10);
if (!(MINUTES > 0)) throw new Error(`BENCH_HEALTH_MINUTES must be a positive number, not ${process.env.BENCH_HEALTH_MINUTES}`);

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const mb = (bytes: number) => bytes / 1024 / 1024;
// Figures are wall-clock: on a shared machine, read them next to the load.
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** Wall-clock milliseconds of each of `rounds` runs, one after another. */
async function timeRounds(rounds: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}

function report(label: string, value: number, unit: string, goal?: { below?: number; atLeast?: number }): void {
  const verdict =
    goal?.below !== undefined ? ` (goal < ${goal.below} ${unit}) ${value < goal.below ? 'OK' : 'OVER'}`
    : goal?.atLeast !== undefined ? ` (goal ≥ ${goal.atLeast}${unit}) ${value >= goal.atLeast ? 'OK' : 'UNDER'}`
    : '';
  console.log(`${label}: ${value.toFixed(1)} ${unit}${verdict}`);
}

/** A sweep that ends with an error would measure failures, not the probe: stop there. */
function assertHealthy(summaries: { name: string; lastError: { code: string } | null }[]): void {
  const failed = summaries.filter((s) => s.lastError !== null);
  if (failed.length > 0) throw new Error(`sweep failed: ${failed.map((s) => `${s.name} ${s.lastError?.code}`).join(', ')}`);
}

/** What a simple cron script checks, one `ssh` each: the same facts as the probe, for the same services. */
const naiveChecks = (fixture: SshdFixture): string[] => [
  'cat /proc/loadavg',
  'free -m',
  'df -P',
  'uptime',
  'systemctl --failed --no-legend --plain --no-pager',
  'pgrep -x sshd',
  `ss -Hltn sport = :${fixture.port}`,
];

async function naiveSweep(fixtures: SshdFixture[], knownHosts: string): Promise<void> {
  // All servers in parallel, checks one after another per server.
  await Promise.all(
    fixtures.map(async (f) => {
      for (const check of naiveChecks(f)) {
        const args = ['-F', '/dev/null', '-i', f.privateKeyPath, '-p', String(f.port), '-o', 'StrictHostKeyChecking=yes',
          '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', `${f.username}@127.0.0.1`, check];
        try {
          await execFileAsync('ssh', args);
        } catch (err) {
          // A failing check (no systemd here) is still a check; only ssh's own failure (255) would skew the figure.
          if ((err as { code?: unknown }).code === 255) throw new Error(`ssh to port ${f.port} failed: ${String((err as { stderr?: unknown }).stderr)}`);
        }
      }
    }),
  );
}

/**
 * The probe as the sweep runs it, timed by bash's `time`: it reads getrusage of the waited-for children (sh and
 * everything it forks) to the microsecond and prints milliseconds, where /usr/bin/time and `times` print 10 ms steps.
 */
async function probeCpuMs(pool: ReturnType<typeof poolFor>, core: ReturnType<typeof tempCore>, server: Server): Promise<number> {
  const probe = probeScript(probedServices(server.services), { upgrades: false });
  const cmd = command('bash', '-c', 'TIMEFORMAT="%3U %3S"; time sh -c "$1"', 'probe-cpu', probe);
  const result = await pool.exec(await sshTargetFor(core, server, null), cmd);
  parseProbe(result.stdout); // throws unless the probe really ran
  const [user = NaN, sys = NaN] = result.stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return (user + sys) * 1000;
}

async function main(): Promise<void> {
  console.log(`${cpus().length} CPUs, load average ${load()}`);
  const fixtures: SshdFixture[] = [];
  const core = tempCore();
  const pool = poolFor(core); // production timeouts, as the app uses
  let scheduler: HealthScheduler | undefined;
  const scratch = await mkdtemp(path.join(tmpdir(), 'pelote-bench-health-'));
  try {
    fixtures.push(...(await Promise.all(Array.from({ length: SERVERS }, () => startSshd()))));
    const service = new ServersService(core);
    const servers = fixtures.map((f, i) => {
      const created = service.create({
        name: `srv-${String(i + 1).padStart(2, '0')}`,
        host: f.host,
        port: f.port,
        username: f.username,
        auth: { kind: 'key', keyPath: f.privateKeyPath, passphrase: { kind: 'none' } },
        // Work for the probe: a process and a listening port, each as its own service as in the naive checks.
        services: [
          { name: 'sshd', kind: 'other', process: 'sshd' },
          { name: 'ssh port', kind: 'other', port: f.port },
        ],
      });
      return service.acceptHostKey(created.id, f.hostKeyFingerprint);
    });

    const sweep = async (serverId: string | null) => assertHealthy(await sweepServers(core, pool, serverId));

    // 1. The pool: the first sweep opens the connections, the next ones reuse them.
    const [cold = NaN] = await timeRounds(1, () => sweep(null));
    report(`cold sweep of ${SERVERS} servers (connects)`, cold, 'ms');
    const warm = await timeRounds(WARM_SWEEPS, () => sweep(null));
    report(`warm sweep of ${SERVERS} servers, median of ${WARM_SWEEPS}`, median(warm), 'ms', { below: 1000 });
    report(`warm sweep of ${SERVERS} servers, max of ${WARM_SWEEPS}`, Math.max(...warm), 'ms', { below: 1000 });

    // 2. The naive way, against the same fixtures; their host keys pinned as the pool pins them.
    const knownHosts = path.join(scratch, 'known_hosts');
    await writeFile(knownHosts, fixtures.map((f) => `[127.0.0.1]:${f.port} ${f.hostPublicKey}\n`).join(''));
    const naive = await timeRounds(NAIVE_ROUNDS, () => naiveSweep(fixtures, knownHosts));
    const checks = fixtures.flatMap(naiveChecks).length;
    report(`naive sweep, ${checks} ssh processes (${checks / SERVERS} per server), median of ${NAIVE_ROUNDS}`, median(naive), 'ms');
    report('  naive / pool (medians)', median(naive) / median(warm), '×', { atLeast: 10 });
    // Here the targets share this machine's CPUs with the client, which makes a sweep of 20 CPU-bound; one server
    // alone shows the latencies without that.
    const [first, firstFixture] = [servers[0], fixtures[0]];
    if (first !== undefined && firstFixture !== undefined) {
      const pooled = median(await timeRounds(WARM_SWEEPS, () => sweep(first.id)));
      const alone = median(await timeRounds(NAIVE_ROUNDS, () => naiveSweep([firstFixture], knownHosts)));
      report(`one server alone: warm pool sweep, median of ${WARM_SWEEPS}`, pooled, 'ms');
      report(`one server alone: naive, ${naiveChecks(firstFixture).length} ssh one after another, median of ${NAIVE_ROUNDS}`, alone, 'ms');
      report('  naive / pool (medians)', alone / pooled, '×');
    }

    // 3. The probe's CPU on the target, one run at a time so that runs do not share a CPU.
    const cpu: number[] = [];
    for (const server of servers) cpu.push(await probeCpuMs(pool, core, server));
    report(`probe CPU (user + sys) on the target, median of ${cpu.length}`, median(cpu), 'ms');
    report(`probe CPU (user + sys) on the target, max of ${cpu.length}`, Math.max(...cpu), 'ms');

    // 4. Memory while the real scheduler sweeps every server at its own interval (30 s by default).
    let sweeps = 0;
    const unsubscribe = core.events.onAny((name) => {
      if (name === 'health.updated') sweeps++;
    });
    const rss = [process.memoryUsage().rss];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), RSS_SAMPLE_MS);
    console.log(`scheduler running for ${MINUTES} min, RSS sampled every ${RSS_SAMPLE_MS / 1000} s…`);
    scheduler = startHealthScheduler(core, pool);
    await sleep(MINUTES * 60_000);
    scheduler.stop();
    clearInterval(sampler);
    rss.push(process.memoryUsage().rss);
    unsubscribe();
    // Joins the sweeps still in flight (a sweep of a server being swept shares the running one), so nothing writes to
    // the core after it closes; also checks that the servers are still healthy.
    await sweep(null);
    console.log(`  ${sweeps} sweeps done, ${Object.values(pool.stats().connects).reduce((a, b) => a + b, 0)} SSH connections made in all`);
    report('  RSS at the start', mb(rss[0] ?? NaN), 'MB');
    report('  RSS max', mb(Math.max(...rss)), 'MB', { below: 200 });
    report('  RSS at the end', mb(rss.at(-1) ?? NaN), 'MB', { below: 200 });
    console.log(`load average at the end ${load()}`);
  } finally {
    scheduler?.stop();
    await closePoolFor(core);
    await Promise.all(fixtures.map((f) => f.stop()));
    core.cleanup();
    await rm(scratch, { recursive: true, force: true });
  }
}

// The package is CommonJS for tsx: no top-level await.
main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
