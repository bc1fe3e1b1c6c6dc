// Backup repositories on local paths: created with `restic init` or attached (a new laptop, the recovery sheet at
// hand), soft-deleted, each change one transaction with its audit entry. Passwords: repository-passwords.ts; shared
// with the team only when a volunteer chooses, sealed under the team key (sync/team-secrets.ts).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackupRepository, PasswordSource, RecoverySheet, RepositoryCreated, RepositoryLock, RepositoryStatus } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { resticBinary } from './engine';
import { resticError, runRestic, runResticJson, spawnRestic, type ResticRepo } from './restic';
import { isStale } from './restic-locks';
import { forgetWritten } from '../secrets/kept-secret';
import { generatePassword, keepPassword, readPassword, resticPassword, sourceHere, type KeptPassword } from './repository-passwords';
import { writeTransaction } from '../db/write-transaction';
import { openFromTeam, sealForTeam, type TeamSecretContext } from '../sync/team-secrets';

interface RepositoryRow {
  id: string;
  name: string;
  path: string;
  restic_id: string;
  password_source: string;
  password_sealed: Buffer | null;
  shared_password: Buffer | null;
  password_received_at: string | null;
  recovery_confirmed_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  job_count: number;
}

const toRepository = (row: RepositoryRow): BackupRepository => ({
  id: row.id,
  name: row.name,
  path: row.path,
  resticId: row.restic_id,
  passwordSource: JSON.parse(row.password_source) as PasswordSource,
  passwordShared: row.shared_password !== null,
  passwordReceivedAt: row.password_received_at,
  recoveryConfirmedAt: row.recovery_confirmed_at,
  jobCount: row.job_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const SELECT = `select r.*, (select count(*) from backup_jobs j where j.repository_id = r.id and j.deleted_at is null) as job_count
  from backup_repositories r`;

export const resticCacheDir = (core: Core): string => join(core.dataDir, 'cache', 'restic');

const sharedContext = (id: string): TeamSecretContext => ({ table: 'backup_repositories', column: 'shared_password', row: id });

export class RepositoriesService {
  constructor(private readonly core: Core) {}

  list(): BackupRepository[] {
    return (this.core.db.prepare(`${SELECT} where r.deleted_at is null order by r.name collate nocase`).all() as RepositoryRow[]).map(toRepository);
  }

  get(id: string): BackupRepository {
    return toRepository(this.row(id));
  }

  /** Refuses forgotten repositories, for every action. */
  getLive(id: string): BackupRepository {
    const row = this.row(id);
    if (row.deleted_at !== null) throw new CoreError('backup_repository_not_found', `Repository ${id} was removed.`, { id });
    return toRepository(row);
  }

  /** How restic reaches the repository, password included: for this call only, never stored or logged. */
  async open(id: string): Promise<ResticRepo> {
    const row = this.usableRow(id);
    if (row.deleted_at !== null) throw new CoreError('backup_repository_not_found', `Repository ${id} was removed.`, { id });
    const source = sourceHere(row, JSON.parse(row.password_source) as PasswordSource);
    const binary = await resticBinary(this.core);
    const password = resticPassword(this.core, source, row.password_sealed);
    return { binary, path: row.path, password, cacheDir: resticCacheDir(this.core) };
  }

  /** Refuses, before anything starts, a repository whose password this laptop does not have (passwordMissingHere). */
  assertPasswordHere(id: string): void {
    const row = this.usableRow(id);
    sourceHere(row, JSON.parse(row.password_source) as PasswordSource);
  }

  /**
   * This laptop's copy of the password of a repository another laptop of the team added, typed from its recovery
   * sheet or read from a file: restic must open the repository at its path with it, and find the same repository id.
   * Kept as `create` keeps one; never synced. Having the sheet in hand also confirms it is saved.
   */
  async providePassword(id: string, input: { password: string | null; passwordFile: string | null }): Promise<BackupRepository> {
    const row = this.row(id);
    if (row.deleted_at !== null) throw new CoreError('backup_repository_not_found', `Repository ${id} was removed.`, { id });
    if ((JSON.parse(row.password_source) as PasswordSource).kind !== 'none') {
      throw new CoreError('backup_password_already_here', `This computer already has the password of ${row.name}.`, { name: row.name });
    }
    const binary = await resticBinary(this.core);
    const file = input.password === null ? resolve(input.passwordFile ?? '') : null;
    const kept: KeptPassword = file !== null ? { source: { kind: 'file', path: file }, sealed: null, written: null } : keepPassword(this.core, id, input.password ?? '', null);
    try {
      const repo: ResticRepo = { binary, path: row.path, password: file !== null ? { file } : { value: input.password ?? '' }, cacheDir: resticCacheDir(this.core) };
      await this.assertSameRepository(row, repo);
      return writeTransaction(this.core.db, () => {
        const now = isoNow(this.core.clock);
        this.core.db
          .prepare('update backup_repositories set password_source = ?, password_sealed = ?, recovery_confirmed_at = coalesce(recovery_confirmed_at, ?), updated_at = ? where id = ?')
          .run(JSON.stringify(kept.source), kept.sealed, now, now, id);
        // The team sees that this computer can now use it; where the password is kept stays this laptop's own.
        this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'update', changes: { passwordHere: { from: null, to: kept.source.kind } } });
        return this.get(id);
      });
    } catch (error) {
      forgetWritten(kept);
      throw error;
    }
  }

  async create(input: { name: string; path: string; passwordFile: string | null; shareWithTeam?: boolean }): Promise<RepositoryCreated> {
    const path = resolve(input.path);
    this.assertFree(input.name, path);
    const binary = await resticBinary(this.core);
    const id = newId();
    const password = generatePassword();
    // Sealed before anything is made: outside a team this refuses (sync_not_in_team) with nothing to undo.
    const shared = input.shareWithTeam === true ? sealForTeam(this.core, sharedContext(id), password) : null;
    const kept = keepPassword(this.core, id, password, input.passwordFile);
    let resticId: string;
    try {
      mkdirSync(path, { recursive: true });
      const repo: ResticRepo = { binary, path, password: kept.source.kind === 'file' ? { file: kept.source.path } : { value: password }, cacheDir: resticCacheDir(this.core) };
      await runRestic(repo, ['init', '--json']);
      resticId = await configId(repo);
    } catch (error) {
      forgetWritten(kept);
      throw error instanceof CoreError ? error : new CoreError('restic_failed', `Cannot create a repository at ${path}.`, { path });
    }
    const repository = this.insert(id, input.name, path, resticId, kept, null, shared);
    return { repository, recoverySheet: this.sheetOf(this.row(id), password) };
  }

  async attach(input: { name: string; path: string; password: string | null; passwordFile: string | null }): Promise<BackupRepository> {
    const path = resolve(input.path);
    // The team already knows it (another laptop added it): this laptop only needs its password.
    const known = this.core.db
      .prepare(`select id from backup_repositories where deleted_at is null and path = ? and json_extract(password_source, '$.kind') = 'none'`)
      .pluck()
      .get(path) as string | undefined;
    if (known !== undefined) return this.providePassword(known, input);
    this.assertFree(input.name, path);
    const binary = await resticBinary(this.core);
    const id = newId();
    const kept: KeptPassword =
      input.password === null
        ? { source: { kind: 'file', path: resolve(input.passwordFile ?? '') }, sealed: null, written: null }
        : keepPassword(this.core, id, input.password, null);
    let resticId: string;
    try {
      const repo: ResticRepo = { binary, path, password: input.password === null ? { file: resolve(input.passwordFile ?? '') } : { value: input.password }, cacheDir: resticCacheDir(this.core) };
      resticId = await configId(repo);
    } catch (error) {
      forgetWritten(kept);
      throw error;
    }
    // The user had the password already: there is no sheet to confirm.
    return this.insert(id, input.name, path, resticId, kept, isoNow(this.core.clock), null);
  }

  /** Only until confirmed: after that the password is never shown again. */
  recoverySheet(id: string): RecoverySheet {
    const row = this.row(id);
    if (row.deleted_at !== null) throw new CoreError('backup_repository_not_found', `Repository ${id} was removed.`, { id });
    if (row.recovery_confirmed_at !== null) throw new CoreError('backup_recovery_sheet_confirmed', 'The recovery sheet was already confirmed saved.', { id });
    return this.sheetOf(row, readPassword(this.core, sourceHere(row, JSON.parse(row.password_source) as PasswordSource), row.password_sealed));
  }

  confirmRecoverySaved(id: string): BackupRepository {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (before.recoveryConfirmedAt !== null) return before;
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update backup_repositories set recovery_confirmed_at = ?, updated_at = ? where id = ?').run(now, now, id);
      this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'update', changes: { recoveryConfirmedAt: { from: null, to: now } } });
      return this.get(id);
    });
  }

  rename(id: string, name: string): BackupRepository {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (name.toLowerCase() !== before.name.toLowerCase()) this.assertNameFree(name, id);
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update backup_repositories set name = ?, updated_at = ? where id = ?').run(name, now, id);
      this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'update', changes: { name: { from: before.name, to: name } } });
      return this.get(id);
    });
  }

  /** Forgets it in Pelote: the repository's files, and the password file, stay where they are. */
  delete(id: string): BackupRepository {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (before.jobCount > 0) throw new CoreError('backup_repository_in_use', `Jobs still write into ${before.name}: ${before.jobCount}.`, { count: before.jobCount });
      const now = isoNow(this.core.clock);
      // Its shared password goes too, on every laptop.
      this.core.db.prepare('update backup_repositories set deleted_at = ?, updated_at = ?, password_sealed = null, shared_password = null where id = ?').run(now, now, id);
      this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'delete', changes: { deletedAt: { from: null, to: now } } });
      return this.get(id);
    });
  }

  /**
   * Shares this laptop's password with the team, sealed under the team key, once restic confirms it opens the
   * repository (a wrong one would reach every laptop); or stops sharing it. The laptops that already sealed their
   * own copy keep it: what was shared cannot be taken back.
   */
  async sharePassword(id: string, shared: boolean): Promise<BackupRepository> {
    const row = this.row(id);
    if (row.deleted_at !== null) throw new CoreError('backup_repository_not_found', `Repository ${id} was removed.`, { id });
    let sealed: Buffer | null = null;
    if (shared) {
      const source = sourceHere(row, JSON.parse(row.password_source) as PasswordSource);
      const password = readPassword(this.core, source, row.password_sealed);
      const repo: ResticRepo = { binary: await resticBinary(this.core), path: row.path, password: { value: password }, cacheDir: resticCacheDir(this.core) };
      await this.assertSameRepository(row, repo);
      sealed = sealForTeam(this.core, sharedContext(id), password);
    }
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (before.passwordShared === shared) return before;
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update backup_repositories set shared_password = ?, updated_at = ? where id = ?').run(sealed, now, id);
      this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'update', changes: { passwordShared: { from: !shared, to: shared } } });
      return this.get(id);
    });
  }

  /**
   * Keeps, as this laptop's own, the shared password of every repository it has none for: after a sync brought it
   * (the 'backups.changed' event), and before first use. A failure leaves the repository asking for its password and
   * is raised on use (usableRow), not in the middle of a sync.
   */
  receiveSharedPasswords(): void {
    const waiting = this.core.db
      .prepare(`select id from backup_repositories where deleted_at is null and shared_password is not null and json_extract(password_source, '$.kind') = 'none'`)
      .pluck()
      .all() as string[];
    for (const id of waiting) {
      try {
        this.receiveSharedPassword(this.row(id));
      } catch (error) {
        if (!(error instanceof CoreError)) throw error;
      }
    }
  }

  /** Opens the repository: password, snapshot count and locks. A failure is a status, not an error. */
  async status(id: string): Promise<RepositoryStatus> {
    const repo = await this.open(id);
    try {
      const snapshots = await runResticJson<unknown[]>(repo, ['snapshots', '--no-lock']);
      return { repositoryId: id, ok: true, error: null, snapshotCount: snapshots.length, locks: await locksOf(repo) };
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      const locks = error.code === 'restic_wrong_password' || error.code === 'restic_repository_missing' ? [] : await locksOf(repo).catch(() => []);
      return { repositoryId: id, ok: false, error: { code: error.code, message: error.message, details: error.details ?? {} }, snapshotCount: null, locks };
    }
  }

  /** `restic unlock` removes stale locks only; a live one stays and is reported. */
  async unlock(id: string): Promise<RepositoryStatus> {
    const repo = await this.open(id);
    await runRestic(repo, ['unlock', '--json']);
    writeTransaction(this.core.db, () => {
      this.core.audit.record({ entity: 'backup_repository', entityId: id, action: 'update', changes: { unlocked: { from: null, to: isoNow(this.core.clock) } } });
    });
    return this.status(id);
  }

  private insert(id: string, name: string, path: string, resticId: string, kept: KeptPassword, confirmedAt: string | null, shared: Buffer | null): BackupRepository {
    try {
      return writeTransaction(this.core.db, () => {
        this.assertFree(name, path);
        const now = isoNow(this.core.clock);
        this.core.db
          .prepare(
            `insert into backup_repositories (id, name, path, restic_id, password_source, password_sealed, shared_password, recovery_confirmed_at, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, name, path, resticId, JSON.stringify(kept.source), kept.sealed, shared, confirmedAt, now, now);
        const created = this.get(id);
        this.core.audit.record({
          entity: 'backup_repository',
          entityId: id,
          action: 'create',
          // Where the password is kept is this laptop's own: the (shared) audit trail says only how.
          changes: {
            name: { from: null, to: name },
            path: { from: null, to: path },
            resticId: { from: null, to: resticId },
            passwordSource: { from: null, to: { kind: kept.source.kind } },
            ...(shared === null ? {} : { passwordShared: { from: null, to: true } }),
          },
        });
        return created;
      });
    } catch (error) {
      forgetWritten(kept);
      throw error;
    }
  }

  /** The row, having first kept the team's shared password when this laptop has none of its own. */
  private usableRow(id: string): RepositoryRow {
    const row = this.row(id);
    if (row.deleted_at !== null || row.shared_password === null || (JSON.parse(row.password_source) as PasswordSource).kind !== 'none') return row;
    this.receiveSharedPassword(row);
    return this.row(id);
  }

  private receiveSharedPassword(row: RepositoryRow): void {
    if (row.shared_password === null) return;
    const kept = keepPassword(this.core, row.id, openFromTeam(this.core, sharedContext(row.id), row.shared_password), null);
    try {
      writeTransaction(this.core.db, () => {
        const now = isoNow(this.core.clock);
        // Only while it still has none: another process of this laptop (the app, the CLI) may have been first.
        const { changes } = this.core.db
          .prepare(`update backup_repositories set password_source = ?, password_sealed = ?, password_received_at = ? where id = ? and json_extract(password_source, '$.kind') = 'none'`)
          .run(JSON.stringify(kept.source), kept.sealed, now, row.id);
        if (changes === 0) throw new CoreError('backup_password_already_here', `This computer already has the password of ${row.name}.`, { name: row.name });
        this.core.audit.record({ entity: 'backup_repository', entityId: row.id, action: 'update', changes: { passwordHere: { from: null, to: kept.source.kind }, passwordReceived: { from: null, to: now } } });
      });
    } catch (error) {
      forgetWritten(kept);
      throw error;
    }
  }

  private sheetOf(row: RepositoryRow, password: string): RecoverySheet {
    return { repositoryId: row.id, name: row.name, path: row.path, resticId: row.restic_id, password, createdAt: row.created_at };
  }

  /** restic opens the repository at its path with this password, and finds the repository id the team knows. */
  private async assertSameRepository(row: RepositoryRow, repo: ResticRepo): Promise<void> {
    const resticId = await configId(repo);
    if (resticId !== row.restic_id) {
      throw new CoreError('backup_repository_other', `The repository at ${row.path} is not ${row.name} (its id is ${resticId.slice(0, 8)}, not ${row.restic_id.slice(0, 8)}).`, {
        name: row.name,
        path: row.path,
      });
    }
  }

  private row(id: string): RepositoryRow {
    const row = this.core.db.prepare(`${SELECT} where r.id = ?`).get(id) as RepositoryRow | undefined;
    if (!row) throw new CoreError('backup_repository_not_found', `No repository ${id}.`, { id });
    return row;
  }

  private assertFree(name: string, path: string): void {
    this.assertNameFree(name, null);
    if (this.core.db.prepare('select 1 from backup_repositories where deleted_at is null and path = ?').get(path)) {
      throw new CoreError('backup_repository_known', `Pelote already uses the repository at ${path}.`, { path });
    }
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const taken = this.core.db.prepare('select 1 from backup_repositories where deleted_at is null and name = ? collate nocase and id is not ?').get(name, exceptId);
    if (taken) throw new CoreError('backup_repository_name_taken', `A repository is already named ${name}.`, { name });
  }
}

async function configId(repo: ResticRepo): Promise<string> {
  const config = await runResticJson<{ id?: unknown }>(repo, ['cat', 'config', '--no-lock']);
  if (typeof config.id !== 'string') throw new CoreError('restic_failed', 'restic did not report the repository id.', { path: repo.path });
  return config.id;
}

async function locksOf(repo: ResticRepo): Promise<RepositoryLock[]> {
  const ids = (await runRestic(repo, ['list', 'locks', '--no-lock'])).split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{64}$/.test(l));
  const now = Date.now();
  const locks = await Promise.all(
    ids.map(async (lockId): Promise<RepositoryLock | null> => {
      const lock = await readLock(repo, lockId);
      if (lock === null) return null;
      const ageSeconds = Math.max(0, Math.round((now - new Date(lock.time).getTime()) / 1000));
      return { id: lockId, createdAt: new Date(lock.time).toISOString(), ageSeconds, hostname: lock.hostname, pid: lock.pid, exclusive: lock.exclusive === true, stale: isStale(lock.hostname, lock.pid, ageSeconds) };
    }),
  );
  return locks.filter((lock) => lock !== null);
}

/**
 * One lock, or null when it vanished since it was listed (its restic finished): restic would otherwise retry the
 * missing file with backoff for about 45 s before failing.
 */
export async function readLock(repo: ResticRepo, lockId: string): Promise<{ time: string; exclusive?: boolean; hostname: string; pid: number } | null> {
  const run = spawnRestic(repo, ['cat', 'lock', '--no-lock', '--json', '--', lockId]);
  const chunks: Buffer[] = [];
  const seen = { vanished: false };
  run.child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  run.child.stderr.on('data', (chunk: string) => {
    if (/retrying after .*no such file or directory/i.test(chunk)) {
      seen.vanished = true;
      run.child.kill('SIGKILL');
    }
  });
  run.child.stdin.end();
  const exit = await run.exit;
  if (seen.vanished) return null;
  if (exit.code !== 0) throw resticError(repo, exit);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { time: string; exclusive?: boolean; hostname: string; pid: number };
  } catch {
    throw new CoreError('restic_failed', 'restic printed something that is not JSON.', { args: 'cat' });
  }
}
