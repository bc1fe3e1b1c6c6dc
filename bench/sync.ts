/**
 * Team sync at scale: a register of 100,000 members and 500,000 payments made a team on laptop A through a local
 * folder, then the figures issue 11 sets goals for; the change latency also with the folder on a server over SFTP
 * (the sshd fixture on loopback). Run with `npm run bench:sync` (BENCH_SYNC_SCALE=0.1 for a tenth);
 * prints, never fails.
 */
import { readdirSync, statSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { EMPTY_MEMBER_INPUT } from '../src-main/contract/members';
import { compact } from '../src-main/core/sync/compaction';
import { openTeamFolder } from '../src-main/core/sync/folder';
import { startSyncScheduler } from '../src-main/core/sync/sync-scheduler';
import { withFolderStore } from '../src-main/core/sync/team-store';
import { laptop, type Laptop } from '../src-main/core/sync/engine/sync-test-fixtures';
import { pinnedServer } from '../src-main/core/health/health-test-fixtures';
import { closePoolFor } from '../src-main/core/health/pool-for-core';
import { startSshd } from '../src-main/testing/sshd';
import { tempDataDir } from '../src-main/testing/temp-core';
import { seedBenchData } from './seed-members';

const SCALE = Number(process.env.BENCH_SYNC_SCALE ?? '1');
const ROUNDS = 7;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const sizeOf = (dir: string): number =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => {
    const s = statSync(join(dir, f));
    return s.isFile() ? sum + s.size : sum;
  }, 0);
async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** A new member on A, until B's running scheduler has it, ROUNDS times. */
async function latency(a: Laptop, b: Laptop): Promise<number[]> {
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const number = `bench-${round}`;
    const start = performance.now();
    await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number, lastName: `Tour ${round}` }, allowDuplicate: true });
    while (b.db.prepare('select 1 from members where number = ?').get(number) === undefined) await new Promise((r) => setTimeout(r, 50));
    latencies.push(performance.now() - start);
  }
  return latencies;
}

/** The latency goal: the team folder on a server (the sshd fixture on loopback), both laptops running. */
async function sftpLatency(): Promise<void> {
  const sshd = await startSshd();
  const c = laptop('c');
  const d = laptop('d');
  try {
    const dir = join(sshd.homeDir, 'team');
    await mkdir(dir);
    const home = await stat(sshd.homeDir);
    await chown(dir, home.uid, home.gid);
    await pinnedServer(c.call, sshd);
    await pinnedServer(d.call, sshd);
    const folder = `ssh://${sshd.username}@127.0.0.1:${sshd.port}${dir}`;
    const sheet = await c.call('sync.create', { folder, keyFile: null });
    await d.call('sync.join', { folder, key: sheet.key, keyFile: null });
    const schedulers = [startSyncScheduler(c), startSyncScheduler(d)];
    const latencies = await latency(c, d);
    await Promise.all(schedulers.map((s) => s.stop()));
    console.log(`a change on A visible on B, both running, SFTP on loopback: median ${seconds(median(latencies))}, max ${seconds(Math.max(...latencies))} over ${ROUNDS} (goal: median < 5 s) ${median(latencies) < 5000 ? 'OK' : 'OVER'}`);
  } finally {
    for (const l of [c, d]) {
      await closePoolFor(l);
      l.cleanup();
    }
    await sshd.stop();
  }
}

async function main(): Promise<void> {
  console.log(`${cpus().length} CPUs, load average ${load()}, scale ${SCALE}`);
  const folder = tempDataDir();
  const a = laptop('a');
  const b = laptop('b');
  try {
    const seeded = seedBenchData(a, { members: Math.round(100_000 * SCALE), payments: Math.round(500_000 * SCALE) });
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    const registerBytes = statSync(a.dbPath).size;
    console.log(`A holds ${seeded.members} members and ${seeded.payments} payments: ${mb(registerBytes)} of SQLite`);

    const created = await timed(() => a.call('sync.create', { folder: folder.dir, keyFile: null }));
    console.log(`create the team on A (capture the register, write it to the folder): ${seconds(created.ms)}`);
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    const withCells = statSync(a.dbPath).size;
    console.log(`A's SQLite file with the sync bookkeeping (a timestamp per synced cell): ${mb(withCells)}, ${(withCells / registerBytes).toFixed(1)}× the register`);
    const node = (await a.call('sync.status', {})).node ?? '';
    await withFolderStore(a, folder.dir, async (store) => compact(a, store, await openTeamFolder(store, created.value.key), node));
    const ratio = sizeOf(folder.dir) / registerBytes;
    console.log(`folder after compaction: ${mb(sizeOf(folder.dir))}, ${ratio.toFixed(2)}× the SQLite file (goal ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER'}`);

    const joined = await timed(() => b.call('sync.join', { folder: folder.dir, key: created.value.key, keyFile: null }));
    console.log(`join on B from the folder: ${seconds(joined.ms)} (goal < 60 s) ${joined.ms < 60_000 ? 'OK' : 'OVER'}`);
    b.db.pragma('wal_checkpoint(TRUNCATE)');
    const joinedBytes = statSync(b.dbPath).size;
    console.log(`B's SQLite file after joining: ${mb(joinedBytes)}, ${(joinedBytes / registerBytes).toFixed(1)}× A's register`);

    // One field changed on A: the bytes its segment adds to the folder.
    const before = sizeOf(join(folder.dir, 'devices'));
    const [first] = a.db.prepare('select id from members limit 1').pluck().all() as string[];
    const { member } = await a.call('members.get', { id: first! });
    const { id: _i, createdAt: _c, updatedAt: _u, deletedAt: _d, erasedAt: _e, ...input } = member;
    await a.call('members.update', { id: first!, member: { ...input, city: 'Plougastel' }, allowDuplicate: true });
    const messages = a.db.prepare('select count(*) from sync_outbox').pluck().get() as number;
    await a.call('sync.now', {});
    const added = sizeOf(join(folder.dir, 'devices')) - before;
    console.log(`one city changed on A: ${messages} messages (the field, updated_at, search text, audit entry), ${added} bytes added to the folder (segment and head)`);

    // Both running their schedulers, as two open apps: a change on A until B shows it.
    const schedulers = [startSyncScheduler(a), startSyncScheduler(b)];
    const latencies = await latency(a, b);
    console.log(`a change on A visible on B, both running, local folder: median ${seconds(median(latencies))} over ${ROUNDS} (goal < 5 s) ${median(latencies) < 5000 ? 'OK' : 'OVER'}`);

    const idleStart = process.cpuUsage();
    const idleMs = 20_000;
    await new Promise((r) => setTimeout(r, idleMs));
    const idle = process.cpuUsage(idleStart);
    console.log(`CPU while idle, both schedulers polling: ${(((idle.user + idle.system) / 1000 / idleMs) * 100).toFixed(2)} % of one core`);
    await Promise.all(schedulers.map((s) => s.stop()));
    await sftpLatency();
  } finally {
    a.cleanup();
    b.cleanup();
    folder.cleanup();
  }
  console.log(`load average at the end ${load()}`);
}

void main();
