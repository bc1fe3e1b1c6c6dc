// Each fault of a backup or restore is reported as what it is, and nothing is reported good that is not: no
// snapshot from a failed or cancelled backup, the after commands run anyway, a restore says what it wrote.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, BackupProgress, BackupRun } from '../../contract';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { pinnedServer } from '../health/health-test-fixtures';
import { backupNow, backupsCore, chownTree, jobInput, loginOwner } from './backups-test-fixtures';
import { operationsFor } from './operations';
import { RunsStore } from './runs-store';

let fixture: SshdFixture;
let core: Awaited<ReturnType<typeof backupsCore>>;
let big: BackupJob;
let bigDir: string;
const progress: BackupProgress[] = [];
const marker = () => join(fixture.homeDir, 'after-ran');

beforeAll(async () => {
  fixture = await startSshd();
  core = await backupsCore(fixture);
  bigDir = join(fixture.homeDir, 'big');
  mkdirSync(bigDir);
  // Incompressible and large enough that a cancel or a dead server lands mid-stream.
  for (let i = 0; i < 4; i++) writeFileSync(join(bigDir, `blob-${i}.bin`), randomBytes(24 * 1024 * 1024));
  chownTree(bigDir, loginOwner(fixture));
  core.events.onAny((name, payload) => {
    if (name === 'backups.progress') progress.push(payload as BackupProgress);
  });
  big = await core.call('backups.jobs.create', { job: jobInput(core, { name: 'big', paths: [bigDir], afterCommands: [['touch', marker()]] }) });
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await fixture.stop();
});

const repositoryId = () => core.repository.repository.id;
const resticSnapshotsOf = async (jobId: string) => core.call('backups.snapshots.list', { repositoryId: repositoryId(), jobId });

/** Runs `action` once the run streaming for `jobId` has moved its first bytes in `stage`. */
function whenStreaming(jobId: string, stage: BackupProgress['stage'], action: (runId: string) => void): void {
  let done = false;
  const stop = core.events.onAny((name, payload) => {
    const p = payload as BackupProgress;
    if (name !== 'backups.progress' || done || p.jobId !== jobId || p.stage !== stage || p.bytesDone === 0) return;
    done = true;
    stop();
    action(p.runId);
  });
}

describe('backup faults', () => {
  it('cancelled half-way: no snapshot is kept, the after commands run, the run says cancelled', async () => {
    rmSync(marker(), { force: true });
    whenStreaming(big.id, 'files', (runId) => operationsFor(core).cancel(runId));
    const run = await backupNow(core, big.id);
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'backup_cancelled' }, snapshots: [] });
    expect(run.bytesRead).toBeGreaterThan(0);
    expect(run.bytesRead).toBeLessThan(run.bytesTotal ?? 0);
    expect(existsSync(marker())).toBe(true);
    expect(await resticSnapshotsOf(big.id)).toEqual([]);
  });

  it('a remote command that fails makes no snapshot: a missing path for tar, a failing dump', async () => {
    const missing = await core.call('backups.jobs.create', { job: jobInput(core, { name: 'missing', paths: [join(fixture.homeDir, 'no-such-dir')] }) });
    const tar = await backupNow(core, missing.id);
    expect(tar).toMatchObject({ status: 'failed', error: { code: 'backup_remote_failed', details: { command: 'tar', exitCode: 2 } }, snapshots: [] });
    expect(tar.error?.message).toMatch(/No such file or directory/);

    const dumpOnly = await core.call('backups.jobs.create', {
      job: jobInput(core, { name: 'db', dumps: [{ kind: 'sqlite', name: 'app', path: join(fixture.homeDir, 'no-such.sqlite3') }] }),
    });
    const dump = await backupNow(core, dumpOnly.id);
    expect(dump).toMatchObject({ status: 'failed', error: { code: 'backup_remote_failed', details: { command: 'app', exitCode: 2 } }, snapshots: [] });
    expect(await resticSnapshotsOf(missing.id)).toEqual([]);
    expect(await resticSnapshotsOf(dumpOnly.id)).toEqual([]);
  });

  it('a wrong repository password is its own error, and the repository status says so', async () => {
    const source = core.repository.repository.passwordSource;
    if (source.kind !== 'file') throw new Error('the test face keeps passwords in files');
    const password = readFileSync(source.path, 'utf8');
    writeFileSync(source.path, 'not the password');
    try {
      const run = await backupNow(core, big.id);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'restic_wrong_password' }, snapshots: [] });
      const status = await core.call('backups.repositories.status', { id: repositoryId() });
      expect(status).toMatchObject({ ok: false, error: { code: 'restic_wrong_password' }, snapshotCount: null });
    } finally {
      writeFileSync(source.path, password);
    }
  });

  it('a repository locked by another process: a live lock is reported and kept, a stale one is offered for unlock', async () => {
    const source = core.repository.repository.passwordSource;
    if (source.kind !== 'file') throw new Error('the test face keeps passwords in files');
    const repoPath = core.repository.repository.path;
    // prune holds an exclusive lock; frozen while it holds it.
    const holder = spawn('restic', ['--repo', repoPath, 'prune'], { env: { ...process.env, RESTIC_PASSWORD_FILE: source.path }, stdio: 'ignore' });
    try {
      // restic writes the lock as `<id>-tmp-…`, then renames it: only the renamed file counts.
      const lockWritten = () => readdirSync(join(repoPath, 'locks')).some((name) => /^[0-9a-f]{64}$/.test(name));
      for (let i = 0; i < 1000 && !lockWritten(); i++) await new Promise((r) => setTimeout(r, 5));
      holder.kill('SIGSTOP');
      const locked = await backupNow(core, big.id);
      expect(locked).toMatchObject({ status: 'failed', error: { code: 'restic_locked', details: { pid: holder.pid, exclusive: true, stale: false } }, snapshots: [] });
      const unlockedLive = await core.call('backups.repositories.unlock', { id: repositoryId() });
      expect(unlockedLive.locks).toMatchObject([{ pid: holder.pid, stale: false, exclusive: true }]);

      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      const stale = await core.call('backups.repositories.status', { id: repositoryId() });
      expect(stale.locks).toMatchObject([{ pid: holder.pid, stale: true }]);
      const unlocked = await core.call('backups.repositories.unlock', { id: repositoryId() });
      expect(unlocked).toMatchObject({ ok: true, locks: [] });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it("the repository's disk full: restic's error, no snapshot", async () => {
    const small = mkdtempSync(join(tmpdir(), 'pelote-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', small]);
    } catch (error) {
      rmSync(small, { recursive: true, force: true });
      throw new Error(`a size-limited tmpfs is needed (run as root): ${String(error)}`);
    }
    try {
      const full = await core.call('backups.repositories.create', { name: 'full', path: join(small, 'repo'), passwordFile: join(core.dataDir, 'full.password') });
      const job = await core.call('backups.jobs.create', { job: { ...jobInput(core, { name: 'too-big', paths: [bigDir] }), repositoryId: full.repository.id } });
      const run = await backupNow(core, job.id);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'restic_disk_full' }, snapshots: [] });
      expect(await core.call('backups.snapshots.list', { repositoryId: full.repository.id })).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
      rmSync(small, { recursive: true, force: true });
    }
  });

  it('sshd killed mid-backup: the run fails with the lost connection and leaves no snapshot', async () => {
    const doomed = await startSshd();
    try {
      const server = await pinnedServer(core.call, doomed, { name: 'doomed' });
      const dir = join(doomed.homeDir, 'big');
      mkdirSync(dir);
      for (let i = 0; i < 3; i++) writeFileSync(join(dir, `blob-${i}.bin`), randomBytes(24 * 1024 * 1024));
      chownTree(dir, loginOwner(doomed));
      const job = await core.call('backups.jobs.create', { job: { ...jobInput(core, { name: 'doomed', paths: [dir], afterCommands: [['true']] }), serverId: server.id } });
      whenStreaming(job.id, 'files', () => void doomed.kill());
      const run = await backupNow(core, job.id);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'ssh_connection_lost' }, snapshots: [] });
      // The after commands were still attempted, against the dead server.
      const after = run.log.findIndex((l) => l.text === 'after: true');
      expect(after).toBeGreaterThan(0);
      expect(run.log.slice(after + 1).some((l) => l.level === 'error')).toBe(true);
      // They could not run: still owed, and retried by the app or `pelote serve`.
      expect(run.afterCommands).toMatchObject({ state: 'pending', commands: [['true']], attempts: 1 });
      expect(await resticSnapshotsOf(job.id)).toEqual([]);
    } finally {
      await doomed.stop();
    }
  });
});

describe('restore faults', () => {
  let good: BackupRun;
  beforeAll(async () => {
    good = await backupNow(core, big.id);
    expect(good.status).toBe('succeeded');
  });

  it('a target path that is not writable is refused before anything is written', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'pelote-root-only-'));
    chownSync(locked, 0, 0);
    try {
      const args = { repositoryId: repositoryId(), snapshotIds: [good.snapshots[0]?.id ?? ''], serverId: core.serverId, target: { kind: 'directory' as const, path: join(locked, 'restore') } };
      const plan = await core.call('backups.restore.plan', args);
      expect(plan.notWritable).toEqual([join(locked, 'restore')]);
      await expect(core.call('backups.restore.start', args)).rejects.toMatchObject({ code: 'restore_target_not_writable', details: { serverName: 'garage', paths: [join(locked, 'restore')] } });
      expect(readdirSync(locked)).toEqual([]);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });

  it('cancelled half-way: the run says cancelled and reports what was written, checked on the target', async () => {
    const target = join(fixture.homeDir, 'half');
    whenStreaming(big.id, 'restore_files', (runId) => operationsFor(core).cancel(runId));
    const started = await core.call('backups.restore.start', { repositoryId: repositoryId(), snapshotIds: [good.snapshots[0]?.id ?? ''], serverId: core.serverId, target: { kind: 'directory', path: target } });
    const run = await operationsFor(core).wait(started.id);
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'backup_cancelled' } });
    expect(run.written?.bytes).toBeGreaterThan(0);
    expect(run.written?.bytes).toBeLessThan(good.bytesRead);
    // The manifest has the big directory and its 4 files: some are missing or short on the target.
    expect(run.verification?.status).toBe('mismatch');
    expect((run.verification?.missing ?? 0) + (run.verification?.mismatched ?? 0)).toBeGreaterThan(0);
    expect(new RunsStore(core).summary(run.id).health).toBeNull();
  });
});
