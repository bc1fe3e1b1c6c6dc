import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupRun } from '../../contract';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir } from '../../testing/temp-core';
import { loginOwner, makeTree } from '../backups/backups-test-fixtures';
import { operationsFor } from '../backups/operations';
import { pinnedServer, serverInputOf } from '../health/health-test-fixtures';
import { closePoolFor } from '../health/pool-for-core';
import { decodeCell } from './engine/cell-value';
import { laptop, syncedState, type Laptop } from './engine/sync-test-fixtures';
import { allFiles } from './engine/test-team';
import { localFolderStore, listSnapshots, openTeamFolder, readHeads, readSegmentsAfter, readSnapshot } from './folder';
import { compact } from './compaction';
import { openWithKey, teamKeyHere } from './team-secrets';

// A repository's password shared with the team only when its creator chooses: B then backs up and restores without
// the recovery sheet, C (joining from a snapshot) too; the password is never in clear in a database file, its WAL, the
// outbox or anywhere in the team folder, even decrypted. Unshared, B still asks; a laptop with its own password keeps
// it; stopping the sharing clears the column everywhere while the laptops that received it keep their copy.
let fixture: SshdFixture;
let a: Laptop;
let b: Laptop;
let c: Laptop;
let folder: { dir: string; cleanup: () => void };

beforeAll(async () => {
  fixture = await startSshd();
  makeTree(join(fixture.homeDir, 'src'), loginOwner(fixture));
  folder = tempDataDir();
  a = laptop('a');
  b = laptop('b');
  c = laptop('c');
}, 60_000);

afterAll(async () => {
  for (const l of [a, b, c]) {
    await operationsFor(l).stopAll();
    await closePoolFor(l);
    l.cleanup();
  }
  folder.cleanup();
  await fixture.stop();
});

const finished = async (l: Laptop, run: { id: string }): Promise<BackupRun> => operationsFor(l).wait(run.id);

/** The database file and its WAL, byte for byte. */
const databaseBytes = (l: Laptop): Buffer => Buffer.concat([l.dbPath, `${l.dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));

/** The text, and every base64 run in it decoded: a cell's bytes travel as 'B:<base64>' in messages and snapshots. */
const withBase64Decoded = (text: string): Buffer =>
  Buffer.concat([Buffer.from(text), ...[...text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)].map((m) => Buffer.from(m[0], 'base64'))]);

/** Every way a password could sit somewhere in clear. */
const needles = (password: string): Buffer[] => [Buffer.from(password), Buffer.from(password, 'utf16le'), Buffer.from(Buffer.from(password).toString('base64'))];

const expectNowhere = (bytes: Buffer, password: string, where: string): void => {
  for (const needle of needles(password)) expect(bytes.includes(needle), `${where} holds the password`).toBe(false);
};

/** The folder decrypted with the team key: every segment's values, every head, every snapshot. */
async function folderInClear(key: string): Promise<Buffer> {
  const store = localFolderStore(folder.dir);
  const team = await openTeamFolder(store, key);
  const segments = await readSegmentsAfter(store, team, new Map());
  const heads = await readHeads(store, team);
  const snapshots = await Promise.all((await listSnapshots(store)).map(async (name) => (await readSnapshot(store, team, name)).bytes.toString('utf8')));
  return withBase64Decoded([JSON.stringify(segments.segments.flatMap((s) => s.messages)), JSON.stringify(heads), ...snapshots].join('\n'));
}

/** Neither in any file's bytes nor in anything the team key decrypts; the shared column is there, sealed. */
async function expectNoPasswordInFolder(key: string, passwords: string[]): Promise<void> {
  const clear = await folderInClear(key);
  expect(clear.includes(Buffer.from('shared_password'))).toBe(true);
  const raw = Buffer.concat(allFiles(folder.dir).map((f) => readFileSync(f)));
  for (const p of passwords) {
    expectNowhere(clear, p, 'the folder decrypted');
    expectNowhere(raw, p, 'the folder');
  }
}

const sharedColumn = (l: Laptop, id: string): Buffer | null => l.db.prepare('select shared_password from backup_repositories where id = ?').pluck().get(id) as Buffer | null;

describe('a repository password shared with the team', () => {
  it('reaches the other laptops sealed, lets them back up and restore without the sheet, and stops when asked', async () => {
    // Outside a team, sharing is refused before anything is made.
    await expect(a.call('backups.repositories.create', { name: 'early', path: join(a.dataDir, 'early'), passwordFile: null, shareWithTeam: true })).rejects.toMatchObject({
      code: 'sync_not_in_team',
    });
    expect(existsSync(join(a.dataDir, 'early'))).toBe(false);

    const sheet = await a.call('sync.create', { folder: folder.dir, keyFile: null });
    const server = await pinnedServer(a.call, fixture, { name: 'garage' });
    const { repository, recoverySheet } = await a.call('backups.repositories.create', { name: 'usb', path: join(a.dataDir, 'repo'), passwordFile: null, shareWithTeam: true });
    const password = recoverySheet.password;
    expect(repository).toMatchObject({ passwordShared: true, passwordReceivedAt: null, passwordSource: { kind: 'file' } });
    const { repository: unshared, recoverySheet: unsharedSheet } = await a.call('backups.repositories.create', { name: 'nas', path: join(a.dataDir, 'nas'), passwordFile: null });
    expect(unshared.passwordShared).toBe(false);

    // In A's outbox, the shared column is the sealed bytes, which open with the team key for this row only.
    const outbox = a.db.prepare(`select value from sync_outbox where dataset = 'backup_repositories' and row = ? and col = 'shared_password'`).pluck().get(repository.id) as string;
    const sealed = decodeCell(outbox) as Buffer;
    expect(openWithKey(teamKeyHere(a), { table: 'backup_repositories', column: 'shared_password', row: repository.id }, sealed)).toBe(password);
    expect(() => openWithKey(teamKeyHere(a), { table: 'backup_repositories', column: 'shared_password', row: unshared.id }, sealed)).toThrow(/damaged/);
    const allOutbox = withBase64Decoded(JSON.stringify(a.db.prepare('select * from sync_outbox').all()));
    for (const p of [password, unsharedSheet.password]) expectNowhere(allOutbox, p, 'the outbox');
    // The audit entry says it is shared, and nothing more.
    const audit = a.db.prepare(`select changes from audit_log where entity = 'backup_repository' and entity_id = ? and action = 'create'`).pluck().get(repository.id) as string;
    expect(JSON.parse(audit)).toMatchObject({ passwordShared: { from: null, to: true } });

    const job = await a.call('backups.jobs.create', {
      job: { name: 'site', serverId: server.id, repositoryId: repository.id, paths: [join(fixture.homeDir, 'src', 'www')], schedule: { kind: 'manual' }, retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } },
    });
    const backup = await finished(a, await a.call('backups.runs.start', { jobId: job.id }));
    expect(backup.status).toBe('succeeded');

    // B joins: the shared password is kept as B's own on arrival; the unshared one is still asked for.
    await b.call('sync.join', { folder: folder.dir, key: sheet.key, keyFile: null });
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    const onB = await b.call('backups.repositories.get', { id: repository.id });
    expect(onB).toMatchObject({ passwordShared: true, passwordSource: { kind: 'file' } });
    expect(onB.passwordReceivedAt).not.toBeNull();
    expect(await b.call('backups.repositories.get', { id: unshared.id })).toMatchObject({ passwordShared: false, passwordSource: { kind: 'none' }, passwordReceivedAt: null });
    await expect(b.call('backups.snapshots.list', { repositoryId: unshared.id })).rejects.toMatchObject({ code: 'backup_password_missing_here' });
    expect(await b.call('backups.repositories.status', { id: repository.id })).toMatchObject({ ok: true, snapshotCount: 1 });
    const snapshots = await b.call('backups.snapshots.list', { repositoryId: repository.id, jobId: job.id });
    expect(snapshots).toEqual([expect.objectContaining({ kind: 'files', runId: backup.id, hasManifest: true })]);

    // B restores A's backup with its own SSH key and the received password: no sheet.
    const bobKey = join(b.dataDir, 'id_bruno');
    copyFileSync(fixture.privateKeyPath, bobKey);
    chmodSync(bobKey, 0o600);
    const { server: serverOnB } = await b.call('servers.get', { id: server.id });
    await b.call('servers.update', { id: server.id, server: { ...serverInputOf(serverOnB), auth: { kind: 'key', keyPath: bobKey, passphrase: { kind: 'none' } } } });
    const drill = await finished(b, await b.call('backups.drill.run', { jobId: job.id }));
    expect(drill).toMatchObject({ status: 'succeeded', verification: { status: 'verified', mismatched: 0, missing: 0 } });

    // A laptop that has its own password keeps it: B types the unshared one from its sheet, then A shares it.
    await b.call('backups.repositories.providePassword', { id: unshared.id, password: unsharedSheet.password });
    const ownSource = (await b.call('backups.repositories.get', { id: unshared.id })).passwordSource;
    expect(await a.call('backups.repositories.sharePassword', { id: unshared.id, shared: true })).toMatchObject({ passwordShared: true });
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    expect(await b.call('backups.repositories.get', { id: unshared.id })).toMatchObject({ passwordShared: true, passwordSource: ownSource, passwordReceivedAt: null });
    // Forgetting a repository stops sharing its password, everywhere.
    await a.call('backups.repositories.delete', { id: unshared.id });
    expect(sharedColumn(a, unshared.id)).toBeNull();
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    expect(sharedColumn(b, unshared.id)).toBeNull();

    await expectNoPasswordInFolder(sheet.key, [password, unsharedSheet.password]);

    // C joins from a snapshot of A's state (the segments compacted away): it too can open the shared repository.
    const store = localFolderStore(folder.dir);
    const team = await openTeamFolder(store, sheet.key);
    const { node } = await a.call('sync.status', {});
    expect(await compact(a, store, team, node ?? '')).toBe(true);
    expect(await listSnapshots(store)).toHaveLength(1);
    await c.call('sync.join', { folder: folder.dir, key: sheet.key, keyFile: null });
    expect(await c.call('backups.repositories.status', { id: repository.id })).toMatchObject({ ok: true, snapshotCount: 1 });
    const onC = await c.call('backups.repositories.get', { id: repository.id });
    expect(onC.passwordSource.kind).toBe('file');
    expect(onC.passwordReceivedAt).not.toBeNull();

    // Stop sharing: the column is cleared on every laptop; those that received it keep their copy.
    expect(await a.call('backups.repositories.sharePassword', { id: repository.id, shared: false })).toMatchObject({ passwordShared: false });
    for (const l of [a, b, c, a, b]) await l.call('sync.now', {});
    for (const l of [a, b, c]) expect(sharedColumn(l, repository.id), l.name).toBeNull();
    expect(syncedState(b)).toEqual(syncedState(a));
    expect(syncedState(c)).toEqual(syncedState(a));
    expect(await b.call('backups.repositories.status', { id: repository.id })).toMatchObject({ ok: true });
    const stopped = a.db.prepare(`select changes from audit_log where entity = 'backup_repository' and entity_id = ? order by at desc, rowid desc limit 1`).pluck().get(repository.id) as string;
    expect(JSON.parse(stopped)).toEqual({ passwordShared: { from: true, to: false } });

    // Never in clear: not in a database file or its WAL, nor in the team folder (segments, heads, the snapshot).
    for (const l of [a, b, c]) for (const p of [password, unsharedSheet.password]) expectNowhere(databaseBytes(l), p, `${l.name}'s database`);
    await expectNoPasswordInFolder(sheet.key, [password, unsharedSheet.password]);
  }, 180_000);
});
