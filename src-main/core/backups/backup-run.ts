// One backup: before commands → size (du) → the paths as one tar stream into its snapshot, with its sha256 manifest →
// each database dump into its own snapshot → after commands, always → retention with forget --prune on success. Once
// the before commands begin, the run owes its after commands: a Pelote that dies before they are done runs them at its
// next start (operations.ts).
import type { BackupJob, Server } from '../../contract';
import { CoreError } from '../errors';
import { asError } from './as-error';
import type { SshPool, SshTarget } from '../ssh';
import { runAfterCommands, runHooks } from './hooks';
import { diskUsage, dumpCommand, dumpFileName, parseDiskUsage, relativeOf, tarCreate, tarWarningsOnly } from './remote-commands';
import { snapshotRemoteOutput } from './remote-snapshot';
import { runRestic, runResticJson, type ResticRepo } from './restic';
import type { RunContext } from './run-context';
import type { MadeSnapshot, RunsStore } from './runs-store';
import { tarParser, type ManifestEntry } from './tar-manifest';

const DU_TIMEOUT_MS = 10 * 60_000;

export interface BackupEnv {
  pool: SshPool;
  target: SshTarget;
  repo: ResticRepo;
  job: BackupJob;
  server: Server;
  ctx: RunContext;
  runs: RunsStore;
}

/** What a backup produced so far: kept on failure (valid snapshots), forgotten on cancel. */
export interface BackupResult {
  snapshots: MadeSnapshot[];
  dataAdded: number;
}

/** restic's snapshot path for a job's files or one of its dumps: stable across renames, so retention groups by it. */
export const filesPath = (jobId: string): string => `/${jobId}/files.tar`;
export const dumpPath = (jobId: string, dumpName: string): string => `/${jobId}/${dumpFileName(dumpName)}`;

export const jobTags = (job: BackupJob, kind: 'files' | 'dump'): string[] => ['pelote', `job:${job.id}`, `server:${job.serverId}`, `kind:${kind}`];

/** restic's host field: the server's name, readable in `restic snapshots` without Pelote. */
export const hostOf = (server: Server): string => server.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64) || 'server';

export async function runBackup(env: BackupEnv, result: BackupResult): Promise<void> {
  const { pool, target, job, ctx } = env;
  env.runs.oweAfterCommands(ctx.runId);
  ctx.setStage('before_commands');
  let failure: Error | null = null;
  try {
    await runHooks(pool, target, job.beforeCommands, 'before', ctx);
    await snapshots(env, result);
  } catch (error) {
    failure = asError(error);
  }
  // Also after a failure or a cancel: maintenance mode must not stay on.
  ctx.setStage('after_commands');
  const after = await runAfterCommands(pool, target, job.afterCommands, ctx);
  // Recorded at once: a Pelote dying later (retention) must not run them again.
  if (job.afterCommands.length > 0) env.runs.settleAfterCommands(ctx.runId, after.state, { own: true });
  failure ??= after.error;
  if (failure !== null) {
    await resolveIds(env.repo, job, result).catch(() => undefined);
    throw failure;
  }
  await resolveIds(env.repo, job, result);
  await applyRetention(env);
}

async function snapshots(env: BackupEnv, result: BackupResult): Promise<void> {
  const { pool, target, job, ctx } = env;
  if (job.paths.length > 0) {
    ctx.setStage('measuring');
    const du = await pool.exec(target, diskUsage(job.paths), { timeoutMs: DU_TIMEOUT_MS });
    ctx.bytesTotal = parseDiskUsage(du.stdout);
    ctx.setStage('files');
    const entries: ManifestEntry[] = [];
    const parser = tarParser((entry) => {
      entries.push(entry);
      if (entry.type === 'file') ctx.addFile();
    });
    const made = await snapshotRemoteOutput({
      pool,
      target,
      cmd: tarCreate(job.paths, job.excludes),
      what: 'tar',
      repo: env.repo,
      filename: filesPath(job.id).slice(1),
      host: hostOf(env.server),
      tags: jobTags(job, 'files'),
      signal: ctx.signal,
      parser,
      onBytes: (n) => ctx.addBytes(n),
      acceptable: tarWarningsOnly,
    });
    if (made.warning !== null) ctx.warn(`tar: ${made.warning}`);
    result.dataAdded += made.dataAdded;
    result.snapshots.push({
      id: made.shortId,
      shortId: made.shortId,
      kind: 'files',
      dumpName: null,
      bytes: made.bytes,
      sha256: made.sha256,
      path: filesPath(job.id),
      manifest: { roots: job.paths.map(relativeOf), entries },
    });
    ctx.info(`files: snapshot ${made.shortId}, ${entries.length} entries, ${made.bytes} bytes read, ${made.dataAdded} bytes added`);
  }
  for (const dump of job.dumps) {
    ctx.setStage('dump', dump.name);
    const made = await snapshotRemoteOutput({
      pool,
      target,
      cmd: dumpCommand(dump),
      what: dump.name,
      repo: env.repo,
      filename: dumpPath(job.id, dump.name).slice(1),
      host: hostOf(env.server),
      tags: jobTags(job, 'dump'),
      signal: ctx.signal,
      onBytes: (n) => ctx.addBytes(n),
    });
    result.dataAdded += made.dataAdded;
    result.snapshots.push({ id: made.shortId, shortId: made.shortId, kind: 'dump', dumpName: dump.name, bytes: made.bytes, sha256: made.sha256, path: dumpPath(job.id, dump.name), manifest: null });
    ctx.info(`dump ${dump.name}: snapshot ${made.shortId}, ${made.bytes} bytes`);
  }
}

/** restic 0.14 reports short ids in its summary: the full ones come from the job's snapshot list. */
async function resolveIds(repo: ResticRepo, job: BackupJob, result: BackupResult): Promise<void> {
  if (result.snapshots.length === 0) return;
  const listed = await runResticJson<{ id: string; paths?: string[] }[]>(repo, ['snapshots', '--tag', `job:${job.id}`]);
  for (const made of result.snapshots) {
    const full = listed.find((s) => s.id.startsWith(made.shortId) && s.paths?.includes(made.path));
    if (full === undefined) throw new CoreError('restic_failed', `restic does not list the snapshot ${made.shortId} it just made.`, { id: made.shortId });
    made.id = full.id;
  }
}

async function applyRetention(env: BackupEnv): Promise<void> {
  const { keepLast, keepDaily, keepWeekly, keepMonthly } = env.job.retention;
  if (keepLast + keepDaily + keepWeekly + keepMonthly === 0) return;
  env.ctx.setStage('retention');
  const keep = [
    ['--keep-last', keepLast],
    ['--keep-daily', keepDaily],
    ['--keep-weekly', keepWeekly],
    ['--keep-monthly', keepMonthly],
  ].flatMap(([flag, n]) => (n === 0 ? [] : [String(flag), String(n)]));
  try {
    // Grouped by path: the files and each dump keep their own history.
    await runRestic(env.repo, ['forget', '--tag', `job:${env.job.id}`, '--group-by', 'paths', ...keep, '--prune', '--json']);
  } catch (error) {
    // The snapshot is made and good; old ones stay until the next successful retention.
    env.ctx.warn(`retention: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Cancelled: what was stored is forgotten (its data goes at the next prune). */
export async function forgetSnapshots(repo: ResticRepo, result: BackupResult): Promise<void> {
  if (result.snapshots.length === 0) return;
  await runRestic(repo, ['forget', '--json', '--', ...result.snapshots.map((s) => s.id)]);
  result.snapshots = [];
}
