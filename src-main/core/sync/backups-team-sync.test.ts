import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupRun } from '../../contract';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir } from '../../testing/temp-core';
import { backupObservations } from '../backups/backup-health';
import { loginOwner, makeTree } from '../backups/backups-test-fixtures';
import { operationsFor } from '../backups/operations';
import { pinnedServer, serverInputOf } from '../health/health-test-fixtures';
import { closePoolFor } from '../health/pool-for-core';
import { ServersService } from '../health/servers-service';
import { laptop, syncedState, type Laptop } from './engine/sync-test-fixtures';

// Two laptops of one team through a local folder, with real backups over SSH: what A's backup and drill did is what
// B sees as the job's last run and "last verified restorable"; B, with its own key and the password from the
// recovery sheet, drills A's backup against A's manifest, and A sees that too.
let fixture: SshdFixture;
let a: Laptop;
let b: Laptop;
let folder: { dir: string; cleanup: () => void };

beforeAll(async () => {
  fixture = await startSshd();
  makeTree(join(fixture.homeDir, 'src'), loginOwner(fixture));
  folder = tempDataDir();
  a = laptop('a');
  b = laptop('b');
}, 60_000);

afterAll(async () => {
  for (const l of [a, b]) {
    await operationsFor(l).stopAll();
    await closePoolFor(l);
    l.cleanup();
  }
  folder.cleanup();
  await fixture.stop();
});

const finished = async (l: Laptop, run: { id: string }): Promise<BackupRun> => operationsFor(l).wait(run.id);

/** Every value of every table, as text: what a laptop holds. */
const everything = (l: Laptop): string =>
  (l.db.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[])
    .map((table) => JSON.stringify(l.db.prepare(`select * from "${table}"`).raw().all(), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
    .join('\n');

describe('backups shared through a team folder', () => {
  it('a backup and a drill on A show on B as the last run and last verified restorable; B drills with its own key and A sees it', async () => {
    await a.call('settings.update', { associationName: 'Les Chatons du Trégor', volunteerName: 'Anne' });
    const server = await pinnedServer(a.call, fixture, { name: 'garage' });
    const { repository, recoverySheet } = await a.call('backups.repositories.create', { name: 'usb', path: join(a.dataDir, 'repo'), passwordFile: null });
    const job = await a.call('backups.jobs.create', {
      job: { name: 'site', serverId: server.id, repositoryId: repository.id, paths: [join(fixture.homeDir, 'src', 'www')], schedule: { kind: 'manual' }, retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } },
    });
    const backup = await finished(a, await a.call('backups.runs.start', { jobId: job.id }));
    expect(backup.status).toBe('succeeded');
    const drill = await finished(a, await a.call('backups.drill.run', { jobId: job.id }));
    expect(drill).toMatchObject({ status: 'succeeded', verification: { status: 'verified' } });

    // A made all that before the team existed: it goes out when A creates the team.
    const sheet = await a.call('sync.create', { folder: folder.dir, keyFile: null });
    await b.call('settings.update', { associationName: 'Chatons B', volunteerName: 'Bruno' });
    await b.call('sync.join', { folder: folder.dir, key: sheet.key, keyFile: null });
    await a.call('sync.now', {});
    expect(syncedState(b)).toEqual(syncedState(a));

    const onB = await b.call('backups.jobs.get', { id: job.id });
    expect(onB).toMatchObject({
      serverName: 'garage',
      repositoryName: 'usb',
      lastRun: { id: drill.id, kind: 'drill', status: 'succeeded' },
      running: null,
      lastSuccessAt: backup.finishedAt,
      lastVerifiedAt: drill.finishedAt,
    });
    const runsOnB = await b.call('backups.runs.list', { jobId: job.id });
    expect(runsOnB.map((r) => r.id)).toEqual([drill.id, backup.id]);
    expect(runsOnB[1]).toMatchObject({ bytesRead: backup.bytesRead, dataAdded: backup.dataAdded, files: backup.files, snapshots: backup.snapshots, afterCommands: { state: 'not_needed', nextAttemptAt: null } });
    expect((await b.call('backups.runs.get', { id: backup.id })).log).toEqual(backup.log);
    // Judged from the team's records: the job was proven restorable, so B raises nothing about it.
    const verified = backupObservations(b, server.id, new ServersService(b).rules(server.id), new Date()).find((o) => o.ruleId === 'restore_unverified');
    expect(verified).toMatchObject({ failing: false, value: { lastVerifiedAt: drill.finishedAt } });

    // Nothing of A's login or password reached B: not its key's path, not its password file, not the password.
    const held = everything(b);
    const passwordFile = repository.passwordSource.kind === 'file' ? repository.passwordSource.path : '';
    for (const secret of [fixture.privateKeyPath, passwordFile, recoverySheet.password]) expect(held.includes(secret), secret).toBe(false);
    expect(passwordFile).not.toBe('');
    const files = readdirSync(folder.dir, { recursive: true, encoding: 'utf8' }).map((f) => join(folder.dir, f)).filter((f) => statSync(f).isFile());
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const word of ['garage', 'Trégor', 'index.php']) expect(bytes.includes(Buffer.from(word)), word).toBe(false);

    // B brings its own key and the password from the recovery sheet, then drills A's backup against A's manifest.
    const bobKey = join(b.dataDir, 'id_bruno');
    copyFileSync(fixture.privateKeyPath, bobKey);
    chmodSync(bobKey, 0o600);
    const { server: serverOnB } = await b.call('servers.get', { id: server.id });
    expect(serverOnB.auth).toEqual({ kind: 'key', keyPath: '', passphrase: { kind: 'none' } });
    await b.call('servers.update', { id: server.id, server: { ...serverInputOf(serverOnB), auth: { kind: 'key', keyPath: bobKey, passphrase: { kind: 'none' } } } });
    await b.call('backups.repositories.providePassword', { id: repository.id, password: recoverySheet.password });
    const snapshots = await b.call('backups.snapshots.list', { repositoryId: repository.id, jobId: job.id });
    expect(snapshots).toEqual([expect.objectContaining({ kind: 'files', runId: backup.id, hasManifest: true, serverName: 'garage', jobName: 'site' })]);
    const drillOnB = await finished(b, await b.call('backups.drill.run', { jobId: job.id }));
    expect(drillOnB).toMatchObject({ status: 'succeeded', verification: { status: 'verified', mismatched: 0, missing: 0 } });

    await b.call('sync.now', {});
    await a.call('sync.now', {});
    expect((await a.call('backups.jobs.get', { id: job.id })).lastVerifiedAt).toBe(drillOnB.finishedAt);
    expect((await a.call('backups.runs.get', { id: drillOnB.id })).verification?.status).toBe('verified');
    // A's login stayed A's; B's key path never reached A.
    expect((await a.call('servers.get', { id: server.id })).server.auth).toMatchObject({ kind: 'key', keyPath: fixture.privateKeyPath });
    expect(everything(a).includes(bobKey)).toBe(false);
    expect(syncedState(b)).toEqual(syncedState(a));
  }, 120_000);
});
