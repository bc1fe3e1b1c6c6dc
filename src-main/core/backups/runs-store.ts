// The history of backups, restores and drills. A run is created in one transaction (with its audit entry when a user
// asked for it), its stage and counters are updated as it goes, and it is finished in one transaction together with
// the snapshots and manifests it produced: a run never reports snapshots it did not finish.
import type {
  AfterCommandsState,
  AfterCommandsStatus,
  BackupRun,
  BackupRunSummary,
  HookCommand,
  RestoreTarget,
  RunKind,
  RunLogLine,
  RunSnapshot,
  RunStage,
  RunStatus,
  RunTrigger,
  Verification,
} from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { loadDevice } from '../settings/device';
import { processAlive } from './restic-locks';
import { packManifest, unpackManifest, type ManifestEntry } from './tar-manifest';
import { writeTransaction } from '../db/write-transaction';

interface RunRow {
  id: string;
  kind: RunKind;
  job_id: string | null;
  job_name: string | null;
  repository_id: string;
  server_id: string;
  server_name: string;
  trigger: RunTrigger;
  status: RunStatus;
  stage: RunStage;
  owner_pid: number;
  started_at: string;
  finished_at: string | null;
  bytes_total: number | null;
  bytes_read: number;
  data_added: number | null;
  files: number;
  target: string | null;
  source_snapshots: string;
  verification: string | null;
  written: string | null;
  health: string | null;
  error: string | null;
  log: string;
  after_state: AfterCommandsState | null;
  after_commands: string;
  after_attempts: number;
  after_tried_at: string | null;
  device_id: string | null;
}

export interface SnapshotRow {
  id: string;
  run_id: string;
  repository_id: string;
  job_id: string;
  kind: 'files' | 'dump';
  dump_name: string | null;
  path: string;
  bytes: number;
  sha256: string;
  created_at: string;
}

export interface NewRun {
  kind: RunKind;
  jobId: string | null;
  repositoryId: string;
  serverId: string;
  trigger: RunTrigger;
  target: RestoreTarget | null;
  sourceSnapshots: RunSnapshot[];
  /** A backup's job's after commands: owed once its before commands begin. */
  afterCommands?: HookCommand[];
}

export interface MadeSnapshot extends RunSnapshot {
  path: string;
  manifest: { roots: string[]; entries: ManifestEntry[] } | null;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  stage: RunStage;
  error: BackupRunSummary['error'];
  bytesTotal: number | null;
  bytesRead: number;
  files: number;
  dataAdded: number | null;
  verification: Verification | null;
  written: BackupRunSummary['written'];
  health: BackupRunSummary['health'];
  snapshots: MadeSnapshot[];
  log: RunLogLine[];
}

const SELECT = `select r.*, j.name as job_name, s.name as server_name from backup_runs r
  left join backup_jobs j on j.id = r.job_id join servers s on s.id = r.server_id`;

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/**
 * Owed after commands the server could not take are retried by the app or `pelote serve` after these pauses, then no
 * more (the run keeps saying so): 6 attempts over about 5 hours, the first at once when Pelote died mid-run.
 */
const AFTER_RETRY_PAUSES_MIN = [1, 5, 15, 60, 240];
export const AFTER_MAX_AUTOMATIC_ATTEMPTS = AFTER_RETRY_PAUSES_MIN.length + 1;

/** When owed after commands are next tried automatically; null when they no longer will be. */
function nextAfterAttempt(row: Pick<RunRow, 'after_state' | 'status' | 'after_attempts' | 'after_tried_at' | 'finished_at'>): string | null {
  if (row.after_state !== 'pending' || row.status === 'running') return null;
  if (row.after_tried_at === null) return row.finished_at;
  const pause = AFTER_RETRY_PAUSES_MIN[row.after_attempts - 1];
  return pause === undefined ? null : new Date(new Date(row.after_tried_at).getTime() + pause * 60_000).toISOString();
}

/**
 * What a run keeps of a failure, for the whole team to read: errors about this laptop's own secrets (its SSH key, a
 * passphrase or password file) lose the local paths they name.
 */
export function shareableError(error: CoreError): NonNullable<BackupRunSummary['error']> {
  const local = LOCAL_SECRET_ERRORS[error.code];
  return local === undefined ? { code: error.code, message: error.message, details: error.details ?? {} } : { code: error.code, message: local, details: {} };
}

const LOCAL_SECRET_ERRORS: Record<string, string> = {
  ssh_key_unreadable: 'The private key file of the computer that ran this cannot be read.',
  ssh_passphrase_missing: 'The key passphrase of the computer that ran this is not available.',
  backup_password_unavailable: 'The repository password of the computer that ran this cannot be read.',
};

export class RunsStore {
  constructor(private readonly core: Core) {}

  /** This laptop (device.id): runs of the team's other laptops are theirs to end and to retry. */
  private get device(): string {
    return loadDevice(this.core.db, this.core.clock).id;
  }

  /** Inside the caller's transaction (which also holds the audit entry when a user started it). */
  insert(run: NewRun): string {
    const id = newId();
    const now = isoNow(this.core.clock);
    this.core.db
      .prepare(
        `insert into backup_runs (id, kind, job_id, repository_id, server_id, trigger, status, stage, owner_pid, started_at,
           target, source_snapshots, after_state, after_commands, device_id, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'running', 'starting', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        run.kind,
        run.jobId,
        run.repositoryId,
        run.serverId,
        run.trigger,
        process.pid,
        now,
        run.target === null ? null : JSON.stringify(run.target),
        JSON.stringify(run.sourceSnapshots),
        run.kind === 'backup' ? 'not_needed' : null,
        JSON.stringify(run.afterCommands ?? []),
        this.device,
        now,
        now,
      );
    return id;
  }

  /** The live counters and log, while it runs. */
  progress(id: string, p: { stage: RunStage; bytesTotal: number | null; bytesRead: number; files: number; log: RunLogLine[] }): void {
    this.core.db
      .prepare('update backup_runs set stage = ?, bytes_total = ?, bytes_read = ?, files = ?, log = ?, updated_at = ? where id = ?')
      .run(p.stage, p.bytesTotal, p.bytesRead, p.files, JSON.stringify(p.log), isoNow(this.core.clock), id);
  }

  finish(id: string, outcome: RunOutcome): void {
    const now = isoNow(this.core.clock);
    writeTransaction(this.core.db, () => {
      const run = this.row(id);
      for (const s of outcome.snapshots) {
        this.core.db
          .prepare('insert into backup_snapshots (id, run_id, repository_id, job_id, kind, dump_name, path, bytes, sha256, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(s.id, id, run.repository_id, run.job_id, s.kind, s.dumpName, s.path, s.bytes, s.sha256, now);
        if (s.manifest !== null) {
          this.core.db
            .prepare('insert into backup_manifests (snapshot_id, roots, entry_count, entries, created_at) values (?, ?, ?, ?, ?)')
            .run(s.id, JSON.stringify(s.manifest.roots), s.manifest.entries.length, packManifest(s.manifest.entries), now);
        }
      }
      this.core.db
        .prepare(
          `update backup_runs set status = ?, stage = ?, finished_at = ?, bytes_total = ?, bytes_read = ?, files = ?, data_added = ?,
             verification = ?, written = ?, health = ?, error = ?, log = ?, updated_at = ? where id = ?`,
        )
        .run(
          outcome.status,
          outcome.stage,
          now,
          outcome.bytesTotal,
          outcome.bytesRead,
          outcome.files,
          outcome.dataAdded,
          outcome.verification === null ? null : JSON.stringify(outcome.verification),
          outcome.written === null ? null : JSON.stringify(outcome.written),
          outcome.health === null ? null : JSON.stringify(outcome.health),
          outcome.error === null ? null : JSON.stringify(outcome.error),
          JSON.stringify(outcome.log),
          now,
          id,
        );
    });
  }

  /** The before commands are about to run: from now on the run owes its after commands (if the job has any). */
  oweAfterCommands(id: string): void {
    this.core.db
      .prepare(`update backup_runs set after_state = 'pending', updated_at = ? where id = ? and after_state = 'not_needed' and json_array_length(after_commands) > 0`)
      .run(isoNow(this.core.clock), id);
  }

  /**
   * A retry of owed after commands begins: counted now, so a Pelote dying during it still counts (a crash loop ends).
   * False when another process began one since the caller read `seenAttempts`.
   */
  beginAfterCommands(id: string, seenAttempts: number): boolean {
    const now = isoNow(this.core.clock);
    const changed = this.core.db
      .prepare(`update backup_runs set after_attempts = after_attempts + 1, after_tried_at = ?, updated_at = ? where id = ? and after_state <> 'not_needed' and after_attempts = ?`)
      .run(now, now, id, seenAttempts).changes;
    return changed === 1;
  }

  /**
   * How an attempt ended. The run's own attempt is counted here, once over: a Pelote dying during it retries at once
   * at its next start. A retry passes the run's log (a live run saves its own when it finishes). Once they reached the
   * server, the job's other runs that still owe them are settled by it: running them later could undo a newer backup's
   * before commands, and the job's warning is this run's alone.
   */
  settleAfterCommands(id: string, state: Exclude<AfterCommandsState, 'not_needed'>, attempt: { own: true } | { own: false; log: RunLogLine[] }): void {
    const now = isoNow(this.core.clock);
    writeTransaction(this.core.db, () => {
      const run = this.row(id);
      if (attempt.own) {
        this.core.db.prepare('update backup_runs set after_state = ?, after_attempts = after_attempts + 1, after_tried_at = ?, updated_at = ? where id = ?').run(state, now, now, id);
      } else {
        this.core.db.prepare('update backup_runs set after_state = ?, log = ?, updated_at = ? where id = ?').run(state, JSON.stringify(attempt.log), now, id);
      }
      if (state === 'pending' || run.job_id === null) return;
      const line: RunLogLine = { at: now, level: 'info', text: `after commands not needed any more: run ${id.slice(0, 8)} ran them again (${state})` };
      this.core.db
        .prepare(
          `update backup_runs set after_state = 'not_needed', log = json_insert(log, '$[#]', json(?)), updated_at = ?
           where job_id = ? and id <> ? and after_state in ('pending', 'failed') and status <> 'running'`,
        )
        .run(JSON.stringify(line), now, run.job_id, id);
    });
  }

  /** Finished backups whose after commands did not run, or failed: what the faces warn about, newest first. */
  owingAfterCommands(): BackupRunSummary[] {
    const rows = this.core.db.prepare(`${SELECT} where r.after_state in ('pending', 'failed') and r.status <> 'running' order by r.started_at desc`).all() as RunRow[];
    return rows.map((row) => this.summaryOf(row));
  }

  /** Those the app or `pelote serve` should try again now: this laptop's runs (another laptop retries its own). */
  afterCommandsDue(now: Date): BackupRunSummary[] {
    const mine = new Set(
      this.core.db
        .prepare(`select id from backup_runs where after_state = 'pending' and status <> 'running' and (device_id is null or device_id = ?)`)
        .pluck()
        .all(this.device) as string[],
    );
    return this.owingAfterCommands().filter((run) => {
      if (!mine.has(run.id)) return false;
      const next = run.afterCommands?.nextAttemptAt ?? null;
      return run.afterCommands?.state === 'pending' && next !== null && new Date(next).getTime() <= now.getTime();
    });
  }

  /** A run by its full id or an unambiguous prefix (the CLI shows 8 characters). */
  findRun(idOrPrefix: string): BackupRunSummary {
    const prefix = idOrPrefix.toLowerCase();
    const rows = /^[0-9a-f-]{4,36}$/.test(prefix) ? (this.core.db.prepare(`${SELECT} where r.id like ? || '%' limit 2`).all(prefix) as RunRow[]) : [];
    if (rows.length > 1) throw new CoreError('backup_run_not_found', `Several runs start with ${idOrPrefix}: give more of its id.`, { id: idOrPrefix });
    const [row] = rows;
    if (row === undefined) throw new CoreError('backup_run_not_found', `No run ${idOrPrefix}.`, { id: idOrPrefix });
    return this.summaryOf(row);
  }

  /**
   * Runs left 'running' by a process of this laptop that is gone (Pelote quit or crashed mid-run): never counted as
   * good. Another laptop's runs are never running here (they are shared once finished), and never judged here.
   */
  markInterrupted(): void {
    const rows = this.core.db
      .prepare(`select id, owner_pid from backup_runs where status = 'running' and (device_id is null or device_id = ?)`)
      .all(this.device) as { id: string; owner_pid: number }[];
    const now = isoNow(this.core.clock);
    const error = JSON.stringify({ code: 'backup_interrupted', message: 'Pelote stopped while this ran.', details: {} });
    for (const row of rows.filter((r) => r.owner_pid !== process.pid && !processAlive(r.owner_pid))) {
      this.core.db.prepare(`update backup_runs set status = 'interrupted', finished_at = ?, error = ?, updated_at = ? where id = ? and status = 'running'`).run(now, error, now, row.id);
    }
  }

  get(id: string): BackupRun {
    const row = this.row(id);
    return { ...this.summaryOf(row), log: JSON.parse(row.log) as RunLogLine[] };
  }

  summary(id: string): BackupRunSummary {
    return this.summaryOf(this.row(id));
  }

  list(filter: { jobId: string | null; serverId: string | null; kind: RunKind | null; status: 'running' | 'all'; limit: number }): BackupRunSummary[] {
    const rows = this.core.db
      .prepare(
        `${SELECT} where (? is null or r.job_id = ?) and (? is null or r.server_id = ?) and (? is null or r.kind = ?)
           and (? = 'all' or r.status = 'running') order by r.started_at desc, r.rowid desc limit ?`,
      )
      .all(filter.jobId, filter.jobId, filter.serverId, filter.serverId, filter.kind, filter.kind, filter.status, filter.limit) as RunRow[];
    return rows.map((row) => this.summaryOf(row));
  }

  /** Any process's running run of this job. */
  running(jobId: string): BackupRunSummary | null {
    const row = this.core.db.prepare(`${SELECT} where r.job_id = ? and r.status = 'running' order by r.started_at desc limit 1`).get(jobId) as RunRow | undefined;
    return row === undefined ? null : this.summaryOf(row);
  }

  last(jobId: string, kind: RunKind, succeededOnly: boolean): BackupRunSummary | null {
    const row = this.core.db
      .prepare(`${SELECT} where r.job_id = ? and r.kind = ? and (? = 0 or r.status = 'succeeded') and r.status <> 'running' order by r.started_at desc, r.rowid desc limit 1`)
      .get(jobId, kind, succeededOnly ? 1 : 0) as RunRow | undefined;
    return row === undefined ? null : this.summaryOf(row);
  }

  /** Start of the latest attempt of this kind, running ones included: the schedulers count from it. */
  lastAttemptAt(jobId: string, kind: RunKind): string | null {
    return (this.core.db.prepare('select max(started_at) from backup_runs where job_id = ? and kind = ?').pluck().get(jobId, kind) as string | null) ?? null;
  }

  /** A snapshot this laptop or its team made, by full id or unambiguous prefix. */
  snapshot(repositoryId: string | null, idOrPrefix: string): SnapshotRow | null {
    const rows = this.core.db
      .prepare(`select * from backup_snapshots where (? is null or repository_id = ?) and id like ? || '%' limit 2`)
      .all(repositoryId, repositoryId, idOrPrefix) as SnapshotRow[];
    if (rows.length > 1) throw new CoreError('backup_snapshot_ambiguous', `Several snapshots start with ${idOrPrefix}.`, { id: idOrPrefix });
    return rows[0] ?? null;
  }

  snapshotsOf(runId: string): SnapshotRow[] {
    return this.core.db.prepare('select * from backup_snapshots where run_id = ? order by kind desc, dump_name').all(runId) as SnapshotRow[];
  }

  snapshotsIn(repositoryId: string): Map<string, SnapshotRow & { has_manifest: number }> {
    const rows = this.core.db
      .prepare('select s.*, exists (select 1 from backup_manifests m where m.snapshot_id = s.id) as has_manifest from backup_snapshots s where repository_id = ?')
      .all(repositoryId) as (SnapshotRow & { has_manifest: number })[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  manifest(snapshotId: string): { roots: string[]; entries: ManifestEntry[] } | null {
    const row = this.core.db.prepare('select roots, entries from backup_manifests where snapshot_id = ?').get(snapshotId) as { roots: string; entries: Buffer } | undefined;
    return row === undefined ? null : { roots: JSON.parse(row.roots) as string[], entries: unpackManifest(row.entries) };
  }

  private row(id: string): RunRow {
    const row = this.core.db.prepare(`${SELECT} where r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new CoreError('backup_run_not_found', `No run ${id}.`, { id });
    return row;
  }

  private summaryOf(row: RunRow): BackupRunSummary {
    const snapshots: RunSnapshot[] =
      row.kind === 'backup'
        ? this.snapshotsOf(row.id).map((s) => ({ id: s.id, shortId: s.id.slice(0, 8), kind: s.kind, dumpName: s.dump_name, bytes: s.bytes, sha256: s.sha256 }))
        : (JSON.parse(row.source_snapshots) as RunSnapshot[]);
    const finished = row.finished_at === null ? null : new Date(row.finished_at).getTime() - new Date(row.started_at).getTime();
    return {
      id: row.id,
      kind: row.kind,
      jobId: row.job_id,
      jobName: row.job_name,
      repositoryId: row.repository_id,
      serverId: row.server_id,
      serverName: row.server_name,
      trigger: row.trigger,
      status: row.status,
      stage: row.stage,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: finished,
      bytesTotal: row.bytes_total,
      bytesRead: row.bytes_read,
      dataAdded: row.data_added,
      files: row.files,
      snapshots,
      target: json<RestoreTarget>(row.target),
      verification: json<Verification>(row.verification),
      written: json<BackupRunSummary['written']>(row.written),
      health: json<BackupRunSummary['health']>(row.health),
      error: json<BackupRunSummary['error']>(row.error),
      afterCommands: afterCommandsOf(row, row.device_id === null || row.device_id === this.device),
    };
  }
}

/** Retries are counted and spaced by the laptop that ran the backup: elsewhere no automatic attempt is announced. */
function afterCommandsOf(row: RunRow, mine: boolean): AfterCommandsStatus | null {
  if (row.after_state === null) return null;
  return { state: row.after_state, commands: JSON.parse(row.after_commands) as HookCommand[], attempts: row.after_attempts, nextAttemptAt: mine ? nextAfterAttempt(row) : null };
}
