// Backups and restores with restic, over the SSH pool. Long operations (backup, restore, drill) return their run at
// once (status 'running') and report through `backups.progress` and `backups.changed`: no call waits for minutes.
import { z } from 'zod';
import { event, method } from './define';
import type { FilePayload } from './fields';
import { id, text } from './fields';
import type { HealthColour } from './servers';

/** The oldest restic Pelote drives (--stdin backups, --json progress, dump, forget --prune). */
export const RESTIC_MINIMUM_VERSION = '0.14.0';

/** Where the restic binary was found, in the order it is looked for. */
export type ResticSource = 'configured' | 'env' | 'bundled' | 'path';

export interface EngineInfo {
  available: boolean;
  /** The binary that runs, when one was found. */
  path: string | null;
  source: ResticSource | null;
  /** e.g. '0.14.0'; null when missing or unreadable. */
  version: string | null;
  minimumVersion: string;
  /** The path set with backups.setResticPath, or null to search (PELOTE_RESTIC, the bundled one, then PATH). */
  configuredPath: string | null;
  /** restic_missing, restic_unsafe (others could swap it), restic_not_restic or restic_too_old when not available. */
  error: { code: string; message: string; details: Record<string, unknown> } | null;
}

/**
 * An absolute POSIX path, without `..` segments, and without a part that starts with `-`: paths reach the arguments
 * of programs on the server (tar, du, find, mkdir), and a part like `-delete` must never be read as an option.
 */
export const absolutePath = z
  .string()
  .trim()
  .max(4096)
  .regex(/^\/[^\0\n]*$/, 'an absolute path')
  .refine((p) => !p.split('/').includes('..'), { message: 'no .. segments' })
  .refine((p) => !p.split('/').some((part) => part.startsWith('-')), { message: 'no part of the path may start with "-"', params: { rule: 'leadingDash' } });

/** A local path on this laptop (a USB disk, a folder): any non-empty path. */
const localPath = text(4096).min(1);

/** Where a repository's password lives: never the database in clear. */
export type PasswordSource =
  /** Electron: sealed with the OS keychain (safeStorage). */
  | { kind: 'stored' }
  /** CLI and browser host: a file (0600), the one given at creation or one in the data directory's secrets/ folder. */
  | { kind: 'file'; path: string }
  /** Not on this laptop: the repository came from another laptop of the team (backups.repositories.providePassword). */
  | { kind: 'none' };

export interface BackupRepository {
  id: string;
  name: string;
  /** A local path: the laptop's disk or a USB disk. */
  path: string;
  /** restic's own repository id (`restic cat config`), printed on the recovery sheet. */
  resticId: string;
  passwordSource: PasswordSource;
  /** Shared with the team (backups.repositories.sharePassword): sealed under the team key, never in clear. */
  passwordShared: boolean;
  /** When this laptop's copy of the password came from the team; null when it has its own (or none). */
  passwordReceivedAt: string | null;
  /** Until the user confirms the recovery sheet is saved, the UI keeps asking. */
  recoveryConfirmedAt: string | null;
  /** Live jobs writing into it. */
  jobCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Shown (and printable) until confirmed: losing it loses every backup in the repository. */
export interface RecoverySheet {
  repositoryId: string;
  name: string;
  path: string;
  resticId: string;
  password: string;
  createdAt: string;
}

export interface RepositoryCreated {
  repository: BackupRepository;
  recoverySheet: RecoverySheet;
}

export interface RepositoryLock {
  id: string;
  createdAt: string;
  ageSeconds: number;
  hostname: string;
  pid: number;
  exclusive: boolean;
  /** As restic judges it: older than 30 minutes, or its process on this machine is gone. `unlock` removes only these. */
  stale: boolean;
}

export interface RepositoryStatus {
  repositoryId: string;
  /** restic could open it with its password. */
  ok: boolean;
  /** restic_wrong_password, restic_repository_missing… when not ok. */
  error: { code: string; message: string; details: Record<string, unknown> } | null;
  snapshotCount: number | null;
  locks: RepositoryLock[];
}

// ---- Jobs ----

/** restic tags and file names are built from it: letters, digits, `.`, `_`, `-`. */
const dumpName = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const unixUser = z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i);
/** Never an option or a connection string to the client: plain identifiers. */
const databaseName = z.string().trim().regex(/^[A-Za-z0-9_][A-Za-z0-9_$-]{0,63}$/);

/**
 * A database dumped by its own client, streamed into its own snapshot and never written to the server's disk.
 * `runAs` runs the client through `sudo -n -u USER` (e.g. postgres); credentials are the server's own (~/.my.cnf,
 * peer authentication, ~/.pgpass): Pelote never handles database passwords.
 */
export const databaseDumpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), name: dumpName, path: absolutePath, runAs: unixUser.nullable().default(null) }).strict(),
  z.object({ kind: z.literal('mysql'), name: dumpName, database: databaseName, user: unixUser.nullable().default(null), runAs: unixUser.nullable().default(null) }).strict(),
  z.object({ kind: z.literal('postgresql'), name: dumpName, database: databaseName, user: unixUser.nullable().default(null), runAs: unixUser.nullable().default(null) }).strict(),
]);
export type DatabaseDump = z.output<typeof databaseDumpSchema>;
export type DatabaseKind = DatabaseDump['kind'];

/**
 * A command run on the server as its words (argv): each word is quoted, never parsed by Pelote. For shell syntax
 * (pipes, &&), make the words `sh`, `-c`, `…` explicitly.
 */
export const hookCommandSchema = z.array(z.string().max(4096)).min(1).max(100).refine((argv) => (argv[0] ?? '').trim() !== '', { message: 'a program' });
export type HookCommand = string[];

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }).strict(),
  /** Every day at this local time of the machine running Pelote. */
  z.object({ kind: z.literal('daily'), at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }).strict(),
  z.object({ kind: z.literal('interval'), hours: z.number().int().min(1).max(168) }).strict(),
]);
export type BackupSchedule = z.infer<typeof scheduleSchema>;

/** Applied with `restic forget --prune` after each successful run; all zero keeps everything. */
export const retentionSchema = z
  .object({
    keepLast: z.number().int().min(0).max(1000),
    keepDaily: z.number().int().min(0).max(1000),
    keepWeekly: z.number().int().min(0).max(1000),
    keepMonthly: z.number().int().min(0).max(1000),
  })
  .strict();
export type Retention = z.infer<typeof retentionSchema>;

/** Restore drills: into a temporary directory of `serverId` (null: the job's own server), every `everyDays` days. */
export const drillSettingsSchema = z
  .object({ serverId: id.nullable().default(null), everyDays: z.number().int().min(1).max(90).nullable().default(7) })
  .strict();
export type DrillSettings = z.output<typeof drillSettingsSchema>;

export const backupJobInputSchema = z
  .object({
    name: text(80).min(1),
    serverId: id,
    repositoryId: id,
    /** Absolute paths on the server, archived with tar. May be empty for a dumps-only job. */
    paths: z.array(absolutePath).max(100).default([]),
    /** tar --exclude patterns, matched against paths without their leading `/` (e.g. `*.log`, `var/cache/*`). */
    excludes: z.array(text(1024).min(1)).max(200).default([]),
    dumps: z.array(databaseDumpSchema).max(20).default([]),
    /** Run in order before the backup (e.g. maintenance mode on); one failing stops the backup. */
    beforeCommands: z.array(hookCommandSchema).max(20).default([]),
    /** Run after the backup, always: also when it failed or was cancelled (maintenance mode off). */
    afterCommands: z.array(hookCommandSchema).max(20).default([]),
    /** Run on the target after a restore (e.g. fix ownership, restart the service). */
    afterRestoreCommands: z.array(hookCommandSchema).max(20).default([]),
    schedule: scheduleSchema.default({ kind: 'manual' }),
    retention: retentionSchema.default({ keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 6 }),
    drill: drillSettingsSchema.default({ serverId: null, everyDays: 7 }),
  })
  .strict()
  .refine((j) => j.paths.length > 0 || j.dumps.length > 0, { message: 'a path or a database to back up', path: ['paths'] })
  .refine((j) => new Set(j.dumps.map((d) => d.name.toLowerCase())).size === j.dumps.length, { message: 'dump names must differ', path: ['dumps'] });
export type BackupJobInput = z.input<typeof backupJobInputSchema>;

export interface BackupJob extends z.output<typeof backupJobInputSchema> {
  id: string;
  createdAt: string;
  updatedAt: string;
}

// ---- Runs ----

export type RunKind = 'backup' | 'restore' | 'drill';
/** 'interrupted': Pelote stopped while it ran (found so at the next start); never counted as good. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type RunTrigger = 'manual' | 'schedule' | 'cli';

export type RunStage =
  | 'starting'
  | 'before_commands'
  | 'measuring'
  | 'files'
  | 'dump'
  | 'after_commands'
  | 'retention'
  | 'restore_files'
  | 'restore_dump'
  | 'after_restore_commands'
  | 'verifying'
  | 'health_check'
  | 'cleanup'
  | 'done';

export interface RunSnapshot {
  /** restic's full snapshot id. */
  id: string;
  shortId: string;
  kind: 'files' | 'dump';
  /** The dump's name, for kind 'dump'. */
  dumpName: string | null;
  /** Bytes of the stream stored (the tar archive, or the dump). */
  bytes: number;
  /** sha256 of that stream. */
  sha256: string;
}

/** Where a restore writes: the paths as backed up, or under a directory (dumps then land there as .sql files). */
export const restoreTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('original') }).strict(),
  z.object({ kind: z.literal('directory'), path: absolutePath }).strict(),
]);
export type RestoreTarget = z.infer<typeof restoreTargetSchema>;

export interface VerificationProblem {
  path: string;
  problem: 'missing' | 'content' | 'type' | 'mode' | 'mtime' | 'link';
}

/** The restored tree checked against the backup's manifest (sha256 computed on the target). */
export interface Verification {
  /** 'unavailable': the snapshot was not made by this laptop nor another of its team, so there is no manifest to check against. */
  status: 'verified' | 'mismatch' | 'unavailable';
  /** Entries compared. */
  checked: number;
  mismatched: number;
  missing: number;
  /** At most 50. */
  problems: VerificationProblem[];
}

export interface RunLogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  text: string;
}

/**
 * 'pending': owed and not done yet — the run still runs, or Pelote stopped mid-run, or the server could not be reached
 * (retried); 'ran': every one exited 0; 'failed': they reached the server and one exited non-zero; 'not_needed': the
 * before commands never began, or the job's after commands reached the server since, for another of its runs.
 */
export type AfterCommandsState = 'pending' | 'ran' | 'failed' | 'not_needed';

/** A backup's after commands (maintenance mode off…): they must run even when Pelote died mid-backup. */
export interface AfterCommandsStatus {
  state: AfterCommandsState;
  /** The job's after commands as they were when the run began. */
  commands: HookCommand[];
  /** Attempts so far, the run's own included. */
  attempts: number;
  /** When the app or `pelote serve` tries them again by itself; null once it no longer will (or need not). */
  nextAttemptAt: string | null;
}

export interface BackupRunSummary {
  id: string;
  kind: RunKind;
  jobId: string | null;
  jobName: string | null;
  repositoryId: string;
  /** The backed-up server (backup), or the target (restore, drill). */
  serverId: string;
  serverName: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** The current stage while running, the last one reached after. */
  stage: RunStage;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** From `du -sb` before a backup, or the snapshots' sizes before a restore; null when unknown. */
  bytesTotal: number | null;
  /** Bytes streamed through Pelote so far. */
  bytesRead: number;
  /** New data stored in the repository (restic's data_added), backups only. */
  dataAdded: number | null;
  /** Regular files seen in the tar stream (backup) or written (restore). */
  files: number;
  snapshots: RunSnapshot[];
  /** Restore and drill: where it wrote (a drill: its temporary directory). */
  target: RestoreTarget | null;
  verification: Verification | null;
  /** Restore and drill: entries and bytes handed to the target (after a cancel or a failure: at most what was written). */
  written: { entries: number; bytes: number } | null;
  /** Restore: the target's health sweep right after. */
  health: { colour: HealthColour; failing: string[] } | null;
  error: { code: string; message: string; details: Record<string, unknown> } | null;
  /** Backups: whether their after commands ran; null for restores, drills and runs from before Pelote tracked it. */
  afterCommands: AfterCommandsStatus | null;
}

export interface BackupRun extends BackupRunSummary {
  log: RunLogLine[];
}

export interface BackupJobSummary {
  job: BackupJob;
  serverName: string;
  repositoryName: string;
  lastRun: BackupRunSummary | null;
  /** The running backup, restore or drill of this job, if any. */
  running: BackupRunSummary | null;
  lastSuccessAt: string | null;
  /** The last successful restore drill: "last verified restorable". */
  lastVerifiedAt: string | null;
  nextRunAt: string | null;
  nextDrillAt: string | null;
  /** 'stale': the last good backup is older than twice the schedule; 'manual': no schedule to judge by. */
  freshness: 'ok' | 'stale' | 'never' | 'manual';
}

// ---- Snapshots ----

export const snapshotIdSchema = z.string().regex(/^[0-9a-f]{8,64}$/, 'a restic snapshot id');

export interface BackupSnapshot {
  id: string;
  shortId: string;
  repositoryId: string;
  time: string;
  kind: 'files' | 'dump' | 'other';
  /** restic's path, e.g. /<job id>/files.tar or /<job id>/<dump>.sql */
  path: string;
  dumpName: string | null;
  jobId: string | null;
  jobName: string | null;
  serverId: string | null;
  serverName: string | null;
  /** restic's host field: the server's name as it was at backup time. */
  hostname: string;
  /** The run that made it (this laptop's or, in a team, another's); null for snapshots found in an attached repository. */
  runId: string | null;
  /** Bytes of the stored stream; null when neither this laptop nor its team made it. */
  size: number | null;
  hasManifest: boolean;
  tags: string[];
}

export type SnapshotEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface SnapshotEntry {
  /** As archived: relative to `/` for files snapshots (e.g. `var/www/index.php`). */
  path: string;
  type: SnapshotEntryType;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string | null;
  /** Regular files. */
  sha256: string | null;
}

export interface SnapshotFiles {
  snapshotId: string;
  /** Entries matching the filter. */
  total: number;
  entries: SnapshotEntry[];
  /** 'manifest': read from the record of the run that made it; 'repository': read from the snapshot itself. */
  source: 'manifest' | 'repository';
}

// ---- Restores ----

export interface RestoreWrite {
  kind: 'path' | 'database';
  /** A path on the target, or `mysql:nextcloud`, `postgresql:etherpad`, `sqlite:/var/lib/app/db.sqlite`. */
  name: string;
  /** It exists on the target now (non-empty directory, file, or database): the restore overwrites it. */
  exists: boolean;
}

export interface RestorePlan {
  serverId: string;
  serverName: string;
  snapshots: BackupSnapshot[];
  target: RestoreTarget;
  writes: RestoreWrite[];
  /** The names of the writes that exist: `restore.start` needs them, with the server, in `confirm`. */
  overwrites: string[];
  /** Paths the login user cannot write (or create): `restore.start` refuses with restore_target_not_writable. */
  notWritable: string[];
  afterRestoreCommands: HookCommand[];
  verification: 'manifest' | 'unavailable';
}

const restoreArgs = z
  .object({
    repositoryId: id,
    /** A files snapshot and/or dump snapshots, typically those of one run. */
    snapshotIds: z.array(snapshotIdSchema).min(1).max(50),
    /** The target: the same server, another one, or a freshly installed one never backed up. */
    serverId: id,
    target: restoreTargetSchema,
  })
  .strict();

// ---- Methods and events ----

const runFilter = z
  .object({
    jobId: id.nullable().default(null),
    serverId: id.nullable().default(null),
    kind: z.enum(['backup', 'restore', 'drill']).nullable().default(null),
    status: z.enum(['running', 'all']).default('all'),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const backupMethods = {
  /** restic's path, source and version, or why it cannot be used. */
  'backups.engine': method<EngineInfo>()(z.object({}).strict()),
  /** Uses this restic binary (null: search again). Checked before it is kept. */
  'backups.setResticPath': method<EngineInfo>()(z.object({ path: localPath.nullable() }).strict()),

  'backups.repositories.list': method<BackupRepository[]>()(z.object({}).strict()),
  'backups.repositories.get': method<BackupRepository>()(z.object({ id }).strict()),
  /**
   * `restic init` at `path` with a generated password: sealed by the OS keychain in the desktop app; elsewhere written
   * (0600) to `passwordFile`, or to the data directory's secrets/ folder when null. Returns the recovery sheet.
   * `shareWithTeam` (in a team only): the password is also shared with the team, as sharePassword does.
   */
  'backups.repositories.create': method<RepositoryCreated>()(
    z.object({ name: text(80).min(1), path: localPath, passwordFile: localPath.nullable().default(null), shareWithTeam: z.boolean().default(false) }).strict(),
  ),
  /** An existing repository (a new laptop, the recovery sheet at hand): its password typed, or a file naming it. */
  'backups.repositories.attach': method<BackupRepository>()(
    z
      .object({
        name: text(80).min(1),
        path: localPath,
        password: z.string().min(1).max(1024).nullable().default(null),
        passwordFile: localPath.nullable().default(null),
      })
      .strict()
      .refine((a) => (a.password === null) !== (a.passwordFile === null), { message: 'a password or a password file', path: ['password'] }),
  ),
  /**
   * This laptop's copy of the password of a repository another laptop of the team added (from its recovery sheet):
   * checked against the repository with restic, then kept as `create` keeps one (sealed, or a 0600 file).
   */
  'backups.repositories.providePassword': method<BackupRepository>()(
    z
      .object({
        id,
        password: z.string().min(1).max(1024).nullable().default(null),
        passwordFile: localPath.nullable().default(null),
      })
      .strict()
      .refine((a) => (a.password === null) !== (a.passwordFile === null), { message: 'a password or a password file', path: ['password'] }),
  ),
  /**
   * Shares this laptop's password of the repository with the team (checked against the repository with restic first),
   * sealed under the team key: the other laptops without one keep it as their own on arrival. `shared: false` stops
   * sharing; laptops that already received it keep their copy.
   */
  'backups.repositories.sharePassword': method<BackupRepository>()(z.object({ id, shared: z.boolean() }).strict()),
  /** The sheet again, only until it is confirmed saved (a window closed too early). */
  'backups.repositories.recoverySheet': method<RecoverySheet>()(z.object({ id }).strict()),
  'backups.repositories.confirmRecoverySaved': method<BackupRepository>()(z.object({ id }).strict()),
  'backups.repositories.rename': method<BackupRepository>()(z.object({ id, name: text(80).min(1) }).strict()),
  /** Forgets the repository in Pelote (its files stay); refused while live jobs use it. */
  'backups.repositories.delete': method<BackupRepository>()(z.object({ id }).strict()),
  /** Opens it with restic: password right, snapshot count, locks (with their age and whether stale). */
  'backups.repositories.status': method<RepositoryStatus>()(z.object({ id }).strict()),
  /** `restic unlock`: removes stale locks only, never a live one. */
  'backups.repositories.unlock': method<RepositoryStatus>()(z.object({ id }).strict()),

  'backups.jobs.list': method<BackupJobSummary[]>()(z.object({ serverId: id.nullable().default(null) }).strict()),
  'backups.jobs.get': method<BackupJobSummary>()(z.object({ id }).strict()),
  'backups.jobs.create': method<BackupJob>()(z.object({ job: backupJobInputSchema }).strict()),
  'backups.jobs.update': method<BackupJob>()(z.object({ id, job: backupJobInputSchema }).strict()),
  'backups.jobs.delete': method<BackupJob>()(z.object({ id }).strict()),

  /** Starts a backup now: returns its run at once; progress follows as events. */
  'backups.runs.start': method<BackupRunSummary>()(z.object({ jobId: id }).strict()),
  /** Cancels a running backup, restore or drill: no snapshot is kept, the after commands run. */
  'backups.runs.cancel': method<BackupRunSummary>()(z.object({ id }).strict()),
  'backups.runs.list': method<BackupRunSummary[]>()(runFilter),
  'backups.runs.get': method<BackupRun>()(z.object({ id }).strict()),
  /**
   * Runs now the after commands a backup still owes (Pelote stopped mid-run, the server was unreachable, or one
   * failed), and resolves once they are done; a run that owes nothing is returned as is.
   */
  'backups.runs.runAfterCommands': method<BackupRun>()(z.object({ id }).strict()),

  /** The repository's snapshots, newest first; of one job or server when given. */
  'backups.snapshots.list': method<BackupSnapshot[]>()(
    z.object({ repositoryId: id, jobId: id.nullable().default(null), serverId: id.nullable().default(null) }).strict(),
  ),
  /** The entries of a files snapshot, filtered by a substring of their path, a page at a time. */
  'backups.snapshots.files': method<SnapshotFiles>()(
    z
      .object({
        repositoryId: id,
        snapshotId: snapshotIdSchema,
        filter: z.string().max(1024).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
  /** One file of a files snapshot (or a dump snapshot's dump, path ''), to save on the laptop; at most 64 MiB. */
  'backups.snapshots.saveFile': method<FilePayload>()(
    z.object({ repositoryId: id, snapshotId: snapshotIdSchema, path: z.string().max(4096) }).strict(),
  ),

  /** What a restore would write on the target and which of it exists now: show this before `restore.start`. */
  'backups.restore.plan': method<RestorePlan>()(restoreArgs),
  /**
   * Starts a restore: returns its run at once. When the plan overwrites anything, `confirm` must name the target
   * server and exactly the plan's `overwrites`, else restore_confirmation_required (details: serverName, paths).
   */
  'backups.restore.start': method<BackupRunSummary>()(
    restoreArgs.extend({
      confirm: z.object({ serverId: id, paths: z.array(z.string().max(4096)).max(200) }).strict().nullable().default(null),
    }),
  ),
  'backups.restore.cancel': method<BackupRunSummary>()(z.object({ id }).strict()),
  /** A restore drill now: the job's latest snapshots into a temporary directory, verified, then removed. */
  'backups.drill.run': method<BackupRunSummary>()(z.object({ jobId: id, serverId: id.nullable().default(null) }).strict()),
};

export interface BackupProgress {
  runId: string;
  kind: RunKind;
  jobId: string | null;
  stage: RunStage;
  /** The dump's name during 'dump' and 'restore_dump', the command during hooks. */
  item: string | null;
  bytesDone: number;
  bytesTotal: number | null;
  files: number;
  rateBytesPerSecond: number | null;
  etaSeconds: number | null;
  elapsedSeconds: number;
}

export const backupEvents = {
  /** A running operation's progress, a few times a second at most. */
  'backups.progress': event<BackupProgress>(),
  /** Repositories, jobs or runs changed (a run started or finished): lists refresh. */
  'backups.changed': event<{ repositoryIds: string[]; jobIds: string[]; runId: string | null }>(),
};
