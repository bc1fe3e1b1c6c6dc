// The running backups, restores and drills of one core: each gets its run record at once and then works in the
// background, one at a time per repository (restic's prune needs the repository to itself), cancellable, and
// finished in one transaction whatever happens. Also the after commands a backup still owes (Pelote died mid-run, or
// the server was unreachable): retried by the scheduler, or run on demand, never while the job runs.
import type { BackupRun, BackupRunSummary, RestoreTarget, RunKind, RunTrigger } from '../../contract';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { poolFor } from '../health/pool-for-core';
import { ServersService } from '../health/servers-service';
import { assertLoginHere, sshTargetFor } from '../health/ssh-target';
import type { SshPool } from '../ssh';
import { forgetSnapshots, runBackup, type BackupResult } from './backup-run';
import { drillSnapshots, runDrill } from './drill-run';
import { runAfterCommands } from './hooks';
import { JobsService } from './jobs-service';
import { RepositoriesService } from './repositories-service';
import { assertConfirmed, prepareRestore } from './restore-plan';
import { runRestore, type RestoreResult } from './restore-run';
import type { ResticRepo } from './restic';
import { RunContext } from './run-context';
import { AFTER_MAX_AUTOMATIC_ATTEMPTS, RunsStore, shareableError, type RunOutcome } from './runs-store';
import { writeTransaction } from '../db/write-transaction';

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

type Work = (ctx: RunContext) => Promise<Partial<RunOutcome> & { status: RunOutcome['status'] }>;

const registries = new WeakMap<Core, BackupOperations>();

/** The core's operations, created on first use with the core's one SSH pool. */
export function operationsFor(core: Core): BackupOperations {
  let ops = registries.get(core);
  if (ops === undefined) {
    ops = new BackupOperations(core, poolFor(core));
    registries.set(core, ops);
  }
  return ops;
}

export class BackupOperations {
  private readonly running = new Map<string, Running>();
  private readonly queues = new Map<string, Promise<void>>();
  /** Owed after commands being run, by job: that job's next operation waits for them. */
  private readonly owed = new Map<string, Promise<void>>();
  private readonly runs: RunsStore;
  private readonly jobs: JobsService;
  private readonly servers: ServersService;
  private readonly repositories: RepositoriesService;

  constructor(
    private readonly core: Core,
    private readonly pool: SshPool,
  ) {
    this.runs = new RunsStore(core);
    this.jobs = new JobsService(core);
    this.servers = new ServersService(core);
    this.repositories = new RepositoriesService(core);
    this.runs.markInterrupted();
  }

  startBackup(jobId: string, trigger: RunTrigger): BackupRunSummary {
    const job = this.jobs.getLive(jobId);
    const server = this.servers.getLive(job.serverId);
    this.repositories.getLive(job.repositoryId);
    // A job of the team that this laptop cannot run (no login for its server, no password for its repository) says
    // so at once and records no run: the team's history holds only runs that could happen.
    this.assertRunnableHere(server.id, job.repositoryId);
    const id = this.create(
      { kind: 'backup', jobId, repositoryId: job.repositoryId, serverId: server.id, trigger, target: null, sourceSnapshots: [], afterCommands: job.afterCommands },
      {},
    );
    this.launch(id, 'backup', job.id, job.repositoryId, async (ctx) => {
      const result: BackupResult = { snapshots: [], dataAdded: 0 };
      let repo: ResticRepo | null = null;
      try {
        ctx.info(`backup of ${job.name} on ${server.name}`);
        const target = await sshTargetFor(this.core, server, this.servers.sealedPassphrase(server.id));
        repo = await this.repositories.open(job.repositoryId);
        await runBackup({ pool: this.pool, target, repo, job, server, ctx, runs: this.runs }, result);
        return { status: 'succeeded', snapshots: result.snapshots, dataAdded: result.dataAdded };
      } catch (error) {
        if (ctx.signal.aborted && repo !== null) {
          // Cancelled: nothing of this run stays in the repository.
          await forgetSnapshots(repo, result).catch((e: unknown) => ctx.error(`could not forget this run's snapshots: ${messageOf(e)}`));
        }
        return { ...failureOf(ctx, error), snapshots: result.snapshots, dataAdded: result.dataAdded };
      }
    });
    return this.runs.summary(id);
  }

  async startRestore(
    args: { repositoryId: string; snapshotIds: string[]; serverId: string; target: RestoreTarget; confirm: { serverId: string; paths: string[] } | null },
    trigger: RunTrigger,
  ): Promise<BackupRunSummary> {
    const prepared = await prepareRestore(this.core, this.pool, args);
    assertConfirmed(prepared.plan, args.confirm);
    const sources = prepared.plan.snapshots.map((s) => ({
      id: s.id,
      shortId: s.shortId,
      kind: s.kind === 'dump' ? ('dump' as const) : ('files' as const),
      dumpName: s.dumpName,
      bytes: s.size ?? 0,
      sha256: this.runs.snapshot(args.repositoryId, s.id)?.sha256 ?? '',
    }));
    const jobId = prepared.job?.id ?? null;
    const id = this.create(
      { kind: 'restore', jobId, repositoryId: args.repositoryId, serverId: prepared.server.id, trigger, target: args.target, sourceSnapshots: sources },
      { overwrites: { from: null, to: prepared.plan.overwrites } },
    );
    this.launch(id, 'restore', jobId, args.repositoryId, async (ctx) => {
      const result: RestoreResult = { written: { entries: 0, bytes: 0 }, verification: null, health: null };
      try {
        ctx.info(`restore of ${prepared.plan.snapshots.map((s) => s.shortId).join(', ')} onto ${prepared.server.name}`);
        await runRestore({ core: this.core, pool: this.pool, prepared, ctx, drill: false }, result);
        const mismatch = result.verification?.status === 'mismatch';
        return {
          ...(mismatch ? failureOf(ctx, verificationFailed(result)) : { status: 'succeeded' as const }),
          verification: result.verification,
          written: result.written,
          health: result.health,
        };
      } catch (error) {
        return { ...failureOf(ctx, error), verification: result.verification, written: result.written, health: result.health };
      }
    });
    return this.runs.summary(id);
  }

  startDrill(jobId: string, serverId: string | null, trigger: RunTrigger): BackupRunSummary {
    const job = this.jobs.getLive(jobId);
    const drillServer = this.servers.getLive(serverId ?? job.drill.serverId ?? job.serverId);
    this.assertRunnableHere(drillServer.id, job.repositoryId);
    drillSnapshots(this.core, job);
    const id = this.create({ kind: 'drill', jobId, repositoryId: job.repositoryId, serverId: drillServer.id, trigger, target: null, sourceSnapshots: [] }, {});
    this.launch(id, 'drill', job.id, job.repositoryId, async (ctx) => {
      const result: RestoreResult = { written: { entries: 0, bytes: 0 }, verification: null, health: null };
      try {
        await runDrill(this.core, this.pool, job, drillServer.id, ctx, result);
        return { status: 'succeeded', verification: result.verification, written: result.written };
      } catch (error) {
        return { ...failureOf(ctx, error), verification: result.verification, written: result.written };
      }
    });
    return this.runs.summary(id);
  }

  /** Stops a run of this process: the remote command and restic are interrupted, the after commands still run. */
  cancel(runId: string): BackupRunSummary {
    const summary = this.runs.summary(runId);
    if (summary.status !== 'running') return summary;
    const running = this.running.get(runId);
    if (running === undefined) throw new CoreError('backup_run_elsewhere', 'This run belongs to another Pelote process (a CLI run): stop it there.', { id: runId });
    writeTransaction(this.core.db, () => {
      this.core.audit.record({ entity: 'backup_run', entityId: runId, action: 'update', changes: { cancelled: { from: null, to: true } } });
    });
    running.controller.abort();
    return this.runs.summary(runId);
  }

  /** Resolves once the run (of this process) has finished. */
  async wait(runId: string): Promise<BackupRun> {
    await this.running.get(runId)?.done;
    return this.runs.get(runId);
  }

  /** Cancels every run and waits for their after commands (owed ones being run too): for the faces to call before closing. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort();
    await Promise.all([...all.map((r) => r.done), ...this.owed.values()]);
  }

  /**
   * The scheduler's start and ticks: owed after commands whose retry is due, one run per job, skipping jobs that run
   * now (their own after commands will settle it). Resolves once those attempts ended.
   */
  retryAfterCommands(): Promise<void> {
    this.runs.markInterrupted();
    const attempts: Promise<void>[] = [];
    for (const run of this.runs.afterCommandsDue(this.core.clock.now())) {
      if (run.jobId === null || this.owed.has(run.jobId) || this.runs.running(run.jobId) !== null) continue;
      attempts.push(this.attemptAfterCommands(run, 'schedule'));
    }
    return Promise.all(attempts).then(() => undefined);
  }

  /** The after commands a backup owes, now (the run page's button, `pelote backup after-commands`). */
  async runAfterCommands(runId: string, trigger: Exclude<RunTrigger, 'schedule'>): Promise<BackupRun> {
    this.runs.markInterrupted();
    const run = this.runs.summary(runId);
    const state = run.afterCommands?.state;
    if (run.jobId === null || (state !== 'pending' && state !== 'failed')) return this.runs.get(runId);
    // Another laptop's run can be settled from here too, with this laptop's own login to its server.
    assertLoginHere(this.servers.get(run.serverId));
    const inFlight = this.owed.get(run.jobId);
    if (inFlight !== undefined) {
      // Being run for this job already (a retry, another click): its outcome may settle this run too.
      await inFlight;
      return this.runAfterCommands(runId, trigger);
    }
    if (this.runs.running(run.jobId) !== null) throw new CoreError('backup_already_running', 'This job is already being backed up, restored or drilled.', { jobId: run.jobId });
    writeTransaction(this.core.db, () => {
      this.core.audit.record({ entity: 'backup_run', entityId: runId, action: 'update', changes: { afterCommandsRequested: { from: state, to: trigger } } });
    });
    await this.attemptAfterCommands(run, trigger);
    return this.runs.get(runId);
  }

  /** One attempt, counted before it begins; its outcome and log lines go to the run. Never rejects. */
  private attemptAfterCommands(run: BackupRunSummary, trigger: RunTrigger): Promise<void> {
    const jobId = run.jobId;
    const owed = run.afterCommands;
    if (jobId === null || owed === null || !this.runs.beginAfterCommands(run.id, owed.attempts)) return Promise.resolve();
    const attempt = owed.attempts + 1;
    const ctx = new RunContext(this.core, run.id, run.kind, jobId, new AbortController().signal);
    ctx.log.push(...this.runs.get(run.id).log);
    const asked = { schedule: 'by Pelote on its own', manual: 'asked from the app', cli: 'asked from the command line' }[trigger];
    ctx.info(`after commands owed by this ${run.status} run: attempt ${attempt} (${asked})`);
    const work = (async () => {
      let state: 'ran' | 'failed' | 'pending';
      try {
        const server = this.servers.getLive(run.serverId);
        const target = await sshTargetFor(this.core, server, this.servers.sealedPassphrase(server.id));
        state = (await runAfterCommands(this.pool, target, owed.commands, ctx)).state;
      } catch (error) {
        ctx.error(error instanceof CoreError ? shareableError(error).message : messageOf(error));
        state = 'pending';
      }
      if (state === 'ran') ctx.info('after commands ran');
      else if (state === 'failed') ctx.error('after commands failed: check the server, then run them by hand or again');
      else if (attempt >= AFTER_MAX_AUTOMATIC_ATTEMPTS) ctx.error(`after commands did not run, and Pelote stops retrying after ${attempt} attempts: run them by hand or again`);
      else ctx.warn('after commands did not run: they stay pending and are retried');
      this.runs.settleAfterCommands(run.id, state, { own: false, log: ctx.log });
    })()
      .catch((error: unknown) => console.error('[pelote] owed after commands could not be recorded:', error))
      .finally(() => {
        this.owed.delete(jobId);
        this.core.events.emit('backups.changed', { repositoryIds: [run.repositoryId], jobIds: [jobId], runId: run.id });
      });
    this.owed.set(jobId, work);
    return work;
  }

  /** This laptop has a login for the server and the repository's password (see assertLoginHere, providePassword). */
  assertRunnableHere(serverId: string, repositoryId: string): void {
    assertLoginHere(this.servers.get(serverId));
    this.repositories.assertPasswordHere(repositoryId);
  }

  isRunning(jobId: string): boolean {
    return this.runs.running(jobId) !== null;
  }

  /** The run record and its audit entry in one transaction; refused while this job already runs (in any process). */
  private create(run: Parameters<RunsStore['insert']>[0], extra: Record<string, { from: null; to: unknown }>): string {
    const id = writeTransaction(this.core.db, () => {
      this.runs.markInterrupted();
      if (run.jobId !== null && this.runs.running(run.jobId) !== null) {
        throw new CoreError('backup_already_running', 'This job is already being backed up, restored or drilled.', { jobId: run.jobId });
      }
      const runId = this.runs.insert(run);
      if (run.trigger !== 'schedule') {
        this.core.audit.record({
          entity: 'backup_run',
          entityId: runId,
          action: 'create',
          changes: { kind: { from: null, to: run.kind }, jobId: { from: null, to: run.jobId }, serverId: { from: null, to: run.serverId }, trigger: { from: null, to: run.trigger }, ...extra },
        });
      }
      return runId;
    });
    this.core.events.emit('backups.changed', { repositoryIds: [run.repositoryId], jobIds: run.jobId === null ? [] : [run.jobId], runId: id });
    return id;
  }

  private launch(id: string, kind: RunKind, jobId: string | null, repositoryId: string, work: Work): void {
    const controller = new AbortController();
    const ctx = new RunContext(this.core, id, kind, jobId, controller.signal);
    const queued = this.queues.get(repositoryId);
    if (queued !== undefined) ctx.info('waiting for another operation on this repository');
    // Owed after commands of this job first: run after this run's before commands, they would end its maintenance.
    const owed = jobId === null ? undefined : this.owed.get(jobId);
    if (owed !== undefined) ctx.info("waiting for an earlier run's after commands");
    const previous = Promise.all([queued, owed]);
    const done = previous.then(async () => {
      let outcome: Awaited<ReturnType<Work>>;
      try {
        outcome = ctx.signal.aborted ? failureOf(ctx, new CoreError('backup_cancelled', 'The operation was cancelled.')) : await work(ctx);
      } catch (error) {
        outcome = failureOf(ctx, error);
      }
      if (outcome.status === 'succeeded') ctx.setStage('done');
      this.runs.finish(id, {
        stage: ctx.stage,
        error: null,
        bytesTotal: ctx.bytesTotal,
        bytesRead: ctx.bytesRead,
        files: ctx.files,
        dataAdded: null,
        verification: null,
        written: null,
        health: null,
        snapshots: [],
        log: ctx.log,
        ...outcome,
      });
    });
    const settled = done
      .catch((error: unknown) => console.error('[pelote] a backup run could not be recorded:', error))
      .finally(() => {
        this.running.delete(id);
        if (this.queues.get(repositoryId) === settled) this.queues.delete(repositoryId);
        this.core.events.emit('backups.changed', { repositoryIds: [repositoryId], jobIds: jobId === null ? [] : [jobId], runId: id });
      });
    this.queues.set(repositoryId, settled);
    this.running.set(id, { controller, done: settled });
  }
}

function verificationFailed(result: RestoreResult): CoreError {
  const v = result.verification;
  return new CoreError('restore_verification_failed', `The restored files do not match the backup: ${String(v?.mismatched ?? 0)} differ, ${String(v?.missing ?? 0)} missing.`, {
    mismatched: v?.mismatched ?? 0,
    missing: v?.missing ?? 0,
  });
}

/** Cancelled when the user asked (whatever error that caused), failed otherwise; only CoreErrors keep their text. */
function failureOf(ctx: RunContext, error: unknown): { status: 'failed' | 'cancelled'; error: NonNullable<RunOutcome['error']> } {
  if (ctx.signal.aborted) {
    ctx.warn('cancelled');
    return { status: 'cancelled', error: { code: 'backup_cancelled', message: 'The operation was cancelled.', details: {} } };
  }
  if (error instanceof CoreError) {
    // The run is the team's: an error about this laptop's own key or password files keeps its paths to itself.
    const shared = shareableError(error);
    ctx.error(shared.message);
    return { status: 'failed', error: shared };
  }
  console.error('[pelote] backup operation failed:', error);
  ctx.error('internal error');
  return { status: 'failed', error: { code: 'internal', message: 'Internal error', details: {} } };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
