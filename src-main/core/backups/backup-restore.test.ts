import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, BackupProgress, BackupRun } from '../../contract';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { pinnedServer } from '../health/health-test-fixtures';
import { poolFor } from '../health/pool-for-core';
import { ServersService } from '../health/servers-service';
import { sshTargetFor } from '../health/ssh-target';
import { backupNow, backupsCore, chownTree, jobInput, loginOwner, makeTree, treeOf, type BackupsCore } from './backups-test-fixtures';
import { operationsFor } from './operations';
import { relativeOf } from './remote-commands';
import { RunsStore } from './runs-store';
import { verifyTree } from './verify';

let fixture: SshdFixture;
let core: Awaited<ReturnType<typeof backupsCore>>;
let src: string;
let database: string;
let job: BackupJob;
let first: BackupRun;
const progress: BackupProgress[] = [];

beforeAll(async () => {
  fixture = await startSshd();
  core = await backupsCore(fixture);
  src = join(fixture.homeDir, 'src');
  ({ database } = makeTree(src, loginOwner(fixture), 3));
  writeFileSync(join(src, 'www', 'cache.tmp'), 'not worth keeping');
  chownTree(join(src, 'www', 'cache.tmp'), loginOwner(fixture));
  core.events.onAny((name, payload) => {
    if (name === 'backups.progress') progress.push(payload as BackupProgress);
  });
  job = await core.call('backups.jobs.create', {
    job: jobInput(core, {
      paths: [join(src, 'www')],
      excludes: ['*.tmp'],
      dumps: [{ kind: 'sqlite', name: 'app', path: database }],
      beforeCommands: [['touch', join(fixture.homeDir, 'maintenance-on')]],
      afterCommands: [['rm', '-f', join(fixture.homeDir, 'maintenance-on')], ['touch', join(fixture.homeDir, 'after-ran')]],
      afterRestoreCommands: [['sh', '-c', 'echo restored >> "$1"', 'sh', join(fixture.homeDir, 'after-restore-ran')]],
    }),
  });
  first = await backupNow(core, job.id);
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await fixture.stop();
});

const restoreAndWait = async (core: BackupsCore, args: Parameters<BackupsCore['call']>[1] & object): Promise<BackupRun> => {
  const run = await core.call('backups.restore.start', args as never);
  return operationsFor(core).wait(run.id);
};

describe('a backup over SSH', () => {
  it('stores the files and each dump as their own tagged snapshots, runs the commands around them, and reports progress', async () => {
    expect(first).toMatchObject({ status: 'succeeded', kind: 'backup', error: null, stage: 'done' });
    expect(first.snapshots.map((s) => [s.kind, s.dumpName])).toEqual([['files', null], ['dump', 'app']]);
    expect(first.snapshots.every((s) => /^[0-9a-f]{64}$/.test(s.id))).toBe(true);
    expect(first.bytesTotal).toBeGreaterThan(6 * 1024 * 1024);
    expect(first.bytesRead).toBeGreaterThan(6 * 1024 * 1024);
    expect(first.dataAdded).toBeGreaterThan(6 * 1024 * 1024);
    // index-hardlink.php (met first: index.php is then its link entry, not a file), occ, config.php, 3 in alice, 3 blobs.
    expect(first.files).toBe(9);
    expect(existsSync(join(fixture.homeDir, 'maintenance-on'))).toBe(false);
    expect(existsSync(join(fixture.homeDir, 'after-ran'))).toBe(true);
    expect(first.log.map((l) => l.text)).toEqual(expect.arrayContaining([`before: touch ${join(fixture.homeDir, 'maintenance-on')}`]));

    const stages = new Set(progress.filter((p) => p.runId === first.id).map((p) => p.stage));
    expect([...stages]).toEqual(expect.arrayContaining(['before_commands', 'measuring', 'files', 'dump', 'after_commands', 'done']));
    const last = progress.filter((p) => p.runId === first.id && p.stage === 'files').at(-1);
    expect(last?.bytesTotal).toBe(first.bytesTotal);

    const snapshots = await core.call('backups.snapshots.list', { repositoryId: core.repository.repository.id, jobId: job.id });
    expect(snapshots).toHaveLength(2);
    const files = snapshots.find((s) => s.kind === 'files');
    expect(files).toMatchObject({ jobName: 'nextcloud', serverName: 'garage', hostname: 'garage', runId: first.id, hasManifest: true, path: `/${job.id}/files.tar` });
    expect(files?.tags).toEqual(expect.arrayContaining(['pelote', `job:${job.id}`, `server:${core.serverId}`, 'kind:files']));
  });

  it('keeps the sha256 of every file it read, and leaves out the excluded ones', async () => {
    const filesId = first.snapshots[0]?.id ?? '';
    const listed = await core.call('backups.snapshots.files', { repositoryId: core.repository.repository.id, snapshotId: filesId, filter: 'config' });
    expect(listed.source).toBe('manifest');
    const config = listed.entries.find((e) => e.path.endsWith('www/config/config.php'));
    expect(config).toMatchObject({ type: 'file', mode: 0o640, mtime: '2024-03-01T10:00:00.000Z' });
    expect(config?.sha256).toBe(treeOf(join(src, 'www'))['config/config.php']?.sha256);
    const all = await core.call('backups.snapshots.files', { repositoryId: core.repository.repository.id, snapshotId: filesId, limit: 5000 });
    expect(all.entries.some((e) => e.path.endsWith('cache.tmp'))).toBe(false);
    expect(all.entries.find((e) => e.path.endsWith('link-to-index'))).toMatchObject({ type: 'symlink', linkTarget: '../index.php' });
  });

  it('saves one file of a snapshot, and a whole dump, to the laptop', async () => {
    const [files, dump] = first.snapshots;
    const repositoryId = core.repository.repository.id;
    const saved = await core.call('backups.snapshots.saveFile', { repositoryId, snapshotId: files?.id ?? '', path: `${relativeOf(join(src, 'www'))}/index.php` });
    expect(saved.fileName).toBe('index.php');
    expect(Buffer.from(saved.base64, 'base64').toString()).toBe('<?php echo "bonjour";\n');
    const sql = await core.call('backups.snapshots.saveFile', { repositoryId, snapshotId: dump?.id ?? '', path: '' });
    expect(Buffer.from(sql.base64, 'base64').toString()).toContain("INSERT INTO notes VALUES(1,'première');");
    await expect(core.call('backups.snapshots.saveFile', { repositoryId, snapshotId: files?.id ?? '', path: 'no/such/file' })).rejects.toMatchObject({ code: 'backup_file_not_found' });
  });
});

describe('a restore over SSH', () => {
  it('writes an identical tree into a directory (contents, modes, symlinks, mtimes) and verifies it on the target', async () => {
    const target = join(fixture.homeDir, 'restored');
    const args = { repositoryId: core.repository.repository.id, snapshotIds: first.snapshots.map((s) => s.id), serverId: core.serverId, target: { kind: 'directory' as const, path: target } };
    const plan = await core.call('backups.restore.plan', args);
    expect(plan).toMatchObject({ serverName: 'garage', overwrites: [], notWritable: [], verification: 'manifest' });
    const run = await restoreAndWait(core, args);
    expect(run).toMatchObject({ status: 'succeeded', error: null, kind: 'restore', jobId: job.id });
    expect(run.verification).toMatchObject({ status: 'verified', mismatched: 0, missing: 0 });
    // Every manifest entry and the dump file.
    const manifestSize = new RunsStore(core).manifest(first.snapshots[0]?.id ?? '')?.entries.length ?? 0;
    expect(run.verification?.checked).toBe(manifestSize + 1);
    expect(run.health?.colour).toBe('green');

    const original = treeOf(join(src, 'www'));
    delete original['cache.tmp'];
    expect(treeOf(join(target, relativeOf(join(src, 'www'))))).toEqual(original);
    expect(readFileSync(join(target, 'app.sql'), 'utf8')).toContain('seconde');

    // Verification notices a restored file that differs from the backup.
    writeFileSync(join(target, relativeOf(join(src, 'www')), 'index.php'), 'tampered');
    const servers = new ServersService(core);
    const server = servers.get(core.serverId);
    const expected = (new RunsStore(core).manifest(first.snapshots[0]?.id ?? '')?.entries ?? []).map((e) => ({ ...e, meta: true }));
    const checked = await verifyTree(poolFor(core), await sshTargetFor(core, server, null), target, [relativeOf(join(src, 'www'))], expected);
    expect(checked.status).toBe('mismatch');
    expect(checked.problems).toEqual(expect.arrayContaining([{ path: `${relativeOf(join(src, 'www'))}/index.php`, problem: 'content' }]));
  });

  it('loads a SQLite dump back into its database, once the overwrite is confirmed with the server and the database', async () => {
    const db = new Database(database);
    db.exec('delete from notes');
    db.close();
    const args = { repositoryId: core.repository.repository.id, snapshotIds: [first.snapshots[1]?.id ?? ''], serverId: core.serverId, target: { kind: 'original' as const } };
    const plan = await core.call('backups.restore.plan', args);
    expect(plan.overwrites).toEqual([`sqlite:${database}`]);
    await expect(core.call('backups.restore.start', args)).rejects.toMatchObject({ code: 'restore_confirmation_required', details: { serverName: 'garage', paths: [`sqlite:${database}`] } });
    await expect(core.call('backups.restore.start', { ...args, confirm: { serverId: core.serverId, paths: ['sqlite:/somewhere/else'] } })).rejects.toMatchObject({ code: 'restore_confirmation_required' });
    const run = await restoreAndWait(core, { ...args, confirm: { serverId: core.serverId, paths: plan.overwrites } });
    expect(run).toMatchObject({ status: 'succeeded', verification: null });
    const restored = new Database(database, { readonly: true });
    expect(restored.prepare('select body from notes order by id').pluck().all()).toEqual(['première', 'seconde']);
    restored.close();
  });

  it('restores the original paths onto another server, never backed up, once the overwrite is confirmed', async () => {
    const fresh = await startSshd();
    try {
      const server = await pinnedServer(core.call, fresh, { name: 'fresh' });
      const www = join(src, 'www');
      const original = treeOf(www);
      rmSync(join(www, 'occ'));
      writeFileSync(join(www, 'config', 'config.php'), 'broken');
      const args = { repositoryId: core.repository.repository.id, snapshotIds: [first.snapshots[0]?.id ?? ''], serverId: server.id, target: { kind: 'original' as const } };
      const plan = await core.call('backups.restore.plan', args);
      expect(plan).toMatchObject({ serverName: 'fresh', overwrites: [www], writes: [{ kind: 'path', name: www, exists: true }] });
      await expect(core.call('backups.restore.start', { ...args, confirm: { serverId: core.serverId, paths: [www] } })).rejects.toMatchObject({ code: 'restore_confirmation_required' });
      rmSync(join(fixture.homeDir, 'after-restore-ran'), { force: true });
      const run = await restoreAndWait(core, { ...args, confirm: { serverId: server.id, paths: [www] } });
      expect(run).toMatchObject({ status: 'succeeded', serverName: 'fresh', verification: { status: 'verified', mismatched: 0, missing: 0 }, health: { colour: 'green' } });
      expect(treeOf(www)).toEqual(original);
      expect(readFileSync(join(fixture.homeDir, 'after-restore-ran'), 'utf8')).toBe('restored\n');
      expect(core.audit.list({ entity: 'backup_run', entityId: run.id })[0]?.changes).toMatchObject({ kind: { to: 'restore' }, serverId: { to: server.id }, overwrites: { to: [www] } });
    } finally {
      await fresh.stop();
    }
  });

  it('drills: restores into a temporary directory, verifies, removes it, and records the job as verified restorable', async () => {
    const before = await core.call('backups.jobs.get', { id: job.id });
    expect(before.lastVerifiedAt).toBeNull();
    const started = await core.call('backups.drill.run', { jobId: job.id });
    const drill = await operationsFor(core).wait(started.id);
    expect(drill).toMatchObject({ status: 'succeeded', kind: 'drill' });
    expect(drill.verification).toMatchObject({ status: 'verified', mismatched: 0, missing: 0 });
    // Its own temporary directory is gone (other test files may be drilling at the same time).
    const dir = /^drill into garage:(\/.*pelote-drill\.\w+)$/.exec(drill.log.map((l) => l.text).find((t) => t.startsWith('drill into')) ?? '')?.[1] ?? '';
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(existsSync(dir)).toBe(false);
    const after = await core.call('backups.jobs.get', { id: job.id });
    expect(after.lastVerifiedAt).toBe(drill.finishedAt);
  });
});

describe('incremental backups and retention', () => {
  it('adds little for an unchanged tree or a small change, and keeps only what the retention says', async () => {
    const kept = await core.call('backups.jobs.update', { id: job.id, job: { ...jobInput(core, { paths: job.paths, excludes: job.excludes, dumps: job.dumps }), retention: { keepLast: 1, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } } });
    const unchanged = await backupNow(core, kept.id);
    expect(unchanged.status).toBe('succeeded');
    expect(unchanged.dataAdded).toBeLessThan(64 * 1024);
    writeFileSync(join(src, 'www', 'index.php'), '<?php echo "bonsoir";\n');
    const changed = await backupNow(core, kept.id);
    expect(changed.status).toBe('succeeded');
    expect(changed.dataAdded).toBeLessThan((first.dataAdded ?? 0) / 4);
    const snapshots = await core.call('backups.snapshots.list', { repositoryId: core.repository.repository.id, jobId: job.id });
    expect(snapshots.map((s) => s.id).sort()).toEqual(changed.snapshots.map((s) => s.id).sort());
  });
});
