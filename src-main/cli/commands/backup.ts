// `pelote backup …` and `pelote restore …`: the same operations as the app, for cron and scripts. Exit codes: 0 done
// (and good), 1 failed, cancelled, stale or not verified, or a backup's after commands not done, 2 usage mistake.
// Repository passwords live in files here. The CLI never retries owed after commands by itself (the app and `serve`
// do): `list` and `run` say which are owed, `after-commands RUN` runs them.
import type { BackupJob, BackupRun, BackupRunSummary, RestoreTarget } from '../../contract';
import { summarizeJob } from '../../core/backups/job-summary';
import { JobsService } from '../../core/backups/jobs-service';
import { operationsFor, type BackupOperations } from '../../core/backups/operations';
import { RepositoriesService } from '../../core/backups/repositories-service';
import { hookCommand } from '../../core/backups/remote-commands';
import { prepareRestore } from '../../core/backups/restore-plan';
import { RunsStore } from '../../core/backups/runs-store';
import { listSnapshots } from '../../core/backups/snapshots';
import type { Core } from '../../core/core';
import { CoreError } from '../../core/errors';
import { closePoolFor, poolFor } from '../../core/health/pool-for-core';
import { ServersService } from '../../core/health/servers-service';
import { openCliCore } from '../open-cli-core';
import { repositoryNamed, serverNamed } from './by-name';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';

export interface BackupOptions {
  server?: string;
  target?: string;
  repository?: string;
  passwordFile?: string;
  shareWithTeam?: boolean;
  stop?: boolean;
  yes: boolean;
}

const mib = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

async function withCore<T>(ctx: CliContext, body: (core: Core) => Promise<T>): Promise<T> {
  const core = openCliCore(ctx, 'cli');
  try {
    return await body(core);
  } finally {
    await closePoolFor(core);
    core.close();
  }
}

/** `backup init|share|list|run|snapshots|drill|sheet-saved|after-commands` */
export function backupCommand(ctx: CliContext, args: string[], options: BackupOptions): Promise<number> {
  const [sub, ...rest] = args;
  return withCore(ctx, async (core) => {
    switch (sub) {
      case 'init':
        return init(ctx, core, rest, options);
      case 'sheet-saved':
        return sheetSaved(ctx, core, one(rest, 'REPOSITORY'));
      case 'share':
        return share(ctx, core, one(rest, 'REPOSITORY'), options.stop !== true);
      case 'list':
        return list(ctx, core);
      case 'run': {
        const code = await follow(ctx, core, (ops) => ops.startBackup(findJob(core, one(rest, 'JOB')).id, 'cli'));
        return reportOwed(ctx, core) ? 1 : code;
      }
      case 'after-commands':
        return afterCommands(ctx, core, one(rest, 'RUN'));
      case 'snapshots':
        return snapshots(ctx, core, findJob(core, one(rest, 'JOB')));
      case 'drill': {
        const job = findJob(core, one(rest, 'JOB'));
        const serverId = options.server === undefined ? null : findServer(core, options.server);
        return follow(ctx, core, (ops) => ops.startDrill(job.id, serverId, 'cli'));
      }
      default:
        throw new UsageError(sub === undefined ? 'backup needs a subcommand: init, share, list, run, snapshots, drill, after-commands or sheet-saved' : `unknown backup subcommand: ${sub}`);
    }
  });
}

/** `restore SNAPSHOT… --server NAME [--target DIR] [--repository NAME] [--yes]` */
export function restoreCommand(ctx: CliContext, snapshotIds: string[], options: BackupOptions): Promise<number> {
  if (snapshotIds.length === 0) throw new UsageError('restore needs at least one SNAPSHOT id');
  if (options.server === undefined) throw new UsageError('restore needs --server NAME (the target)');
  const serverName = options.server;
  return withCore(ctx, async (core) => {
    const repositoryId = repositoryOf(core, snapshotIds, options.repository);
    const target: RestoreTarget = options.target === undefined ? { kind: 'original' } : { kind: 'directory', path: options.target };
    const serverId = findServer(core, serverName);
    const args = { repositoryId, snapshotIds, serverId, target };
    // --yes confirms exactly what the plan overwrites, which the refusal names otherwise.
    const confirm = options.yes ? { serverId, paths: (await prepareRestore(core, poolFor(core), args)).plan.overwrites } : null;
    return follow(ctx, core, (ops) => ops.startRestore({ ...args, confirm }, 'cli'));
  });
}

async function init(ctx: CliContext, core: Core, args: string[], options: BackupOptions): Promise<number> {
  const [name, path, ...extra] = args;
  if (name === undefined || path === undefined || extra.length > 0) throw new UsageError('backup init needs NAME and PATH');
  const { repository, recoverySheet } = await new RepositoriesService(core).create({ name, path, passwordFile: options.passwordFile ?? null, shareWithTeam: options.shareWithTeam === true });
  output(ctx, { repository, recoverySheet }, () =>
    [
      `Repository ${repository.name} created at ${repository.path}.`,
      ...(repository.passwordShared ? ['Its password is shared with the team (sealed with the team key): the other computers can use it after their next sync.'] : []),
      '',
      'RECOVERY SHEET — print it or copy it somewhere safe: without it, every backup in this repository is lost.',
      `  Path:          ${recoverySheet.path}`,
      `  Repository id: ${recoverySheet.resticId}`,
      `  Password:      ${recoverySheet.password}`,
      '',
      `Then run: pelote backup sheet-saved ${repository.name}`,
    ].join('\n'),
  );
  return 0;
}

function sheetSaved(ctx: CliContext, core: Core, name: string): number {
  const repositories = new RepositoriesService(core);
  const repository = repositories.confirmRecoverySaved(repositoryNamed(repositories.list(), name).id);
  output(ctx, repository, () => `Recovery sheet of ${repository.name} confirmed saved.`);
  return 0;
}

/** `backup share REPOSITORY [--stop]` */
async function share(ctx: CliContext, core: Core, name: string, shared: boolean): Promise<number> {
  const repositories = new RepositoriesService(core);
  const repository = await repositories.sharePassword(repositoryNamed(repositories.list(), name).id, shared);
  output(ctx, repository, () =>
    shared
      ? `The password of ${repository.name} is shared with the team: the other computers without it keep it after their next sync.`
      : `The password of ${repository.name} is no longer shared. Computers that already received it keep their copy.`,
  );
  return 0;
}

function list(ctx: CliContext, core: Core): number {
  // Runs of a Pelote that died read as interrupted, and what they owe shows below.
  new RunsStore(core).markInterrupted();
  const summaries = new JobsService(core).list().map((job) => summarizeJob(core, job));
  output(ctx, summaries, () =>
    summaries.length === 0
      ? 'No backup jobs.'
      : summaries
          .map((s) => {
            const last = s.lastRun === null ? 'never run' : `last ${s.lastRun.kind} ${s.lastRun.status} ${s.lastRun.startedAt}`;
            return `${s.freshness.padEnd(6)}  ${s.serverName}/${s.job.name}  ${last}  verified ${s.lastVerifiedAt ?? 'never'}  next ${s.nextRunAt ?? '-'}`;
          })
          .join('\n'),
  );
  const owed = reportOwed(ctx, core);
  return owed || summaries.some((s) => s.freshness === 'stale' || s.lastRun?.status === 'failed' || s.lastRun?.status === 'interrupted') ? 1 : 0;
}

/**
 * One line per backup whose after commands (maintenance mode off…) did not run or failed, with the exact command
 * lines to run on the server. On stderr with --json, so stdout stays one JSON value. True when there is one.
 */
function reportOwed(ctx: CliContext, core: Core): boolean {
  const owed = new RunsStore(core).owingAfterCommands();
  const lines = owed.map((run) => {
    const after = run.afterCommands;
    const what = after?.state === 'failed' ? 'failed' : 'did not run';
    const commands = (after?.commands ?? []).map((words) => hookCommand(words).text).join(' ; ');
    const retry = after?.nextAttemptAt == null ? '' : ` (the app or pelote serve retries them from ${after.nextAttemptAt})`;
    return `after commands of ${run.status} run ${run.id.slice(0, 8)} (${run.serverName}/${run.jobName ?? '?'}, started ${run.startedAt}) ${what}${retry}: ${commands} — run them on the server, or: pelote backup after-commands ${run.id.slice(0, 8)}`;
  });
  if (lines.length > 0) (ctx.json ? ctx.io.stderr : ctx.io.stdout)(`${lines.join('\n')}\n`);
  return lines.length > 0;
}

/** `backup after-commands RUN`: the after commands a backup owes, now; exit 0 once they ran (or were not owed). */
async function afterCommands(ctx: CliContext, core: Core, ref: string): Promise<number> {
  const found = new RunsStore(core).findRun(ref);
  const run = await operationsFor(core).runAfterCommands(found.id, 'cli');
  const state = run.afterCommands?.state ?? 'not_needed';
  output(ctx, run, () => {
    const attempt = run.log.filter((l) => l.text.startsWith('after commands owed by')).at(-1);
    const since = attempt === undefined ? [] : run.log.slice(run.log.indexOf(attempt));
    return [`after commands of run ${run.id.slice(0, 8)}: ${state}`, ...since.map((l) => `  ${l.level} ${l.text}`)].join('\n');
  });
  return state === 'ran' || state === 'not_needed' ? 0 : 1;
}

async function snapshots(ctx: CliContext, core: Core, job: BackupJob): Promise<number> {
  const found = await listSnapshots(core, job.repositoryId, { jobId: job.id, serverId: null });
  output(ctx, found, () =>
    found.length === 0 ? 'No snapshots.' : found.map((s) => `${s.shortId}  ${s.time}  ${s.kind === 'dump' ? `dump ${s.dumpName ?? ''}` : s.kind}  ${mib(s.size)}`).join('\n'),
  );
  return 0;
}

/** Starts an operation, reports its stages on stderr, cancels it on Ctrl+C, and exits 0 only when it succeeded. */
async function follow(ctx: CliContext, core: Core, start: (ops: BackupOperations) => BackupRunSummary | Promise<BackupRunSummary>): Promise<number> {
  const ops = operationsFor(core);
  let stage = '';
  const stop = core.events.onAny((name, payload) => {
    const p = payload as { stage?: string; item?: string | null };
    if (name !== 'backups.progress' || ctx.json || p.stage === undefined || p.stage === stage) return;
    stage = p.stage;
    ctx.io.stderr(`${stage}${p.item == null ? '' : ` ${p.item}`}\n`);
  });
  try {
    const started = await start(ops);
    void ctx.io.stopSignal().then(() => ops.cancel(started.id));
    const run = await ops.wait(started.id);
    output(ctx, run, () => describeRun(run));
    return run.status === 'succeeded' ? 0 : 1;
  } finally {
    stop();
  }
}

function describeRun(run: BackupRun): string {
  const lines = [`${run.kind} ${run.status} in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s: ${mib(run.bytesRead)} read${run.dataAdded === null ? '' : `, ${mib(run.dataAdded)} added`}`];
  for (const s of run.snapshots) lines.push(`  snapshot ${s.shortId}  ${s.kind === 'dump' ? `dump ${s.dumpName ?? ''}` : 'files'}`);
  if (run.verification !== null) lines.push(`  verification ${run.verification.status}: ${run.verification.checked} checked, ${run.verification.mismatched} differ, ${run.verification.missing} missing`);
  if (run.written !== null && run.status !== 'succeeded') lines.push(`  written before it stopped: ${run.written.entries} entries, ${mib(run.written.bytes)}`);
  if (run.error !== null) lines.push(`  error ${run.error.code}: ${run.error.message}`);
  return lines.join('\n');
}

function one(args: string[], what: string): string {
  const [value, ...extra] = args;
  if (value === undefined || extra.length > 0) throw new UsageError(`expected one ${what}`);
  return value;
}

/** By id, `SERVER/JOB`, or a job name that only one server uses. */
function findJob(core: Core, ref: string): BackupJob {
  const jobs = new JobsService(core).list();
  const servers = new Map(new ServersService(core).list().map((s) => [s.id, s.name.toLowerCase()]));
  const lower = ref.toLowerCase();
  const matches = jobs.filter((j) => j.id === ref || j.name.toLowerCase() === lower || `${servers.get(j.serverId) ?? ''}/${j.name.toLowerCase()}` === lower);
  if (matches.length > 1) throw new CoreError('backup_job_ambiguous', `Several servers have a job named ${ref}: write SERVER/${ref}.`, { name: ref });
  const [job] = matches;
  if (job === undefined) throw new CoreError('backup_job_not_found', `No backup job named ${ref}.`, { name: ref });
  return job;
}

function findServer(core: Core, name: string): string {
  return serverNamed(new ServersService(core).list(), name).id;
}

/** The repository named with --repository, else the one this laptop's records put the snapshots in. */
function repositoryOf(core: Core, snapshotIds: string[], name: string | undefined): string {
  if (name !== undefined) {
    return repositoryNamed(new RepositoriesService(core).list(), name).id;
  }
  const runs = new RunsStore(core);
  const repositories = new Set(snapshotIds.map((id) => runs.snapshot(null, id)?.repository_id));
  const [only] = repositories;
  if (repositories.size !== 1 || only === undefined) {
    throw new CoreError('backup_snapshot_not_found', 'This laptop did not make these snapshots: name their repository with --repository.', { ids: snapshotIds });
  }
  return only;
}
