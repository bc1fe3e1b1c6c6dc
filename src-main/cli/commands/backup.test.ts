import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJobSummary, BackupRun, BackupSnapshot } from '../../contract';
import { loginOwner, makeTree } from '../../core/backups/backups-test-fixtures';
import { JobsService } from '../../core/backups/jobs-service';
import { RepositoriesService } from '../../core/backups/repositories-service';
import { RunsStore } from '../../core/backups/runs-store';
import { openCore } from '../../core/core';
import { IGNORE_MACHINE_LOAD, serverInput } from '../../core/health/health-test-fixtures';
import { ServersService } from '../../core/health/servers-service';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir, testPlatform } from '../../testing/temp-core';
import { runCaptured } from '../../testing/cli-captured';

let fixture: SshdFixture;
let data: ReturnType<typeof tempDataDir>;
let database: string;
let src: string;

// Never asked to stop: a run goes to its end.
const cli = (args: string[]) => runCaptured(['--data-dir', data.dir, ...args], { stopSignal: () => new Promise(() => undefined) });

beforeAll(async () => {
  fixture = await startSshd();
  data = tempDataDir();
  src = join(fixture.homeDir, 'src');
  ({ database } = makeTree(src, loginOwner(fixture)));
  const core = openCore({ dataDir: data.dir, platform: testPlatform({ face: 'cli' }) });
  const servers = new ServersService(core);
  const server = servers.create(serverInput(fixture, { name: 'garage' }));
  servers.acceptHostKey(server.id, fixture.hostKeyFingerprint);
  servers.updateRules(server.id, IGNORE_MACHINE_LOAD);
  core.close();

  const init = await cli(['backup', 'init', 'usb', join(data.dir, 'repo'), '--password-file', join(data.dir, 'usb.password')]);
  expect(init.code).toBe(0);
  expect(init.stdout).toMatch(/RECOVERY SHEET[\s\S]*Password: {6}[a-km-np-zA-HJ-NP-Z2-9]{40}\n/);

  const again = openCore({ dataDir: data.dir, platform: testPlatform({ face: 'cli' }) });
  const [repository] = new RepositoriesService(again).list();
  const jobs = new JobsService(again);
  const base = { serverId: server.id, repositoryId: repository?.id ?? '', retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } };
  jobs.create({ ...base, name: 'nextcloud', paths: [join(src, 'www')], dumps: [{ kind: 'sqlite', name: 'app', path: database }] });
  jobs.create({ ...base, name: 'broken', paths: [join(src, 'nowhere')] });
  again.close();
}, 60_000);

afterAll(async () => {
  await fixture.stop();
  data.cleanup();
});

describe('pelote backup and restore', () => {
  it('init wrote the generated password to the file named, readable by its owner only', () => {
    const file = join(data.dir, 'usb.password');
    expect(readFileSync(file, 'utf8')).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{40}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('runs a job, lists it and its snapshots, and exits 1 when a job failed', async () => {
    const run = await cli(['--json', 'backup', 'run', 'nextcloud']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded', kind: 'backup', trigger: 'cli' });

    const listed = await cli(['--json', 'backup', 'list']);
    expect(listed.code).toBe(0);
    const summaries = JSON.parse(listed.stdout) as BackupJobSummary[];
    expect(summaries.map((s) => [s.job.name, s.lastRun?.status ?? null])).toEqual([['broken', null], ['nextcloud', 'succeeded']]);

    const snapshots = JSON.parse((await cli(['--json', 'backup', 'snapshots', 'garage/nextcloud'])).stdout) as BackupSnapshot[];
    expect(snapshots.map((s) => s.kind).sort()).toEqual(['dump', 'files']);

    const broken = await cli(['backup', 'run', 'broken']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^backup failed in [\d.]+ s/);
    expect(broken.stdout).toContain('error backup_remote_failed');
    expect(broken.stderr).toContain('files\n');
    expect((await cli(['backup', 'list'])).code).toBe(1);
  });

  it('restores into a directory, verified; refuses to overwrite a database until --yes', async () => {
    const snapshots = JSON.parse((await cli(['--json', 'backup', 'snapshots', 'nextcloud'])).stdout) as BackupSnapshot[];
    const files = snapshots.find((s) => s.kind === 'files')?.shortId ?? '';
    const dump = snapshots.find((s) => s.kind === 'dump')?.shortId ?? '';
    const target = join(fixture.homeDir, 'restored');
    const restored = await cli(['--json', 'restore', files, '--server', 'garage', '--target', target]);
    expect(restored.code).toBe(0);
    expect((JSON.parse(restored.stdout) as BackupRun).verification).toMatchObject({ status: 'verified', mismatched: 0, missing: 0 });
    expect(existsSync(join(target, src.slice(1), 'www', 'occ'))).toBe(true);

    const db = new Database(database);
    db.exec("insert into notes (body) values ('after the backup')");
    db.close();
    const refused = await cli(['restore', dump, '--server', 'garage']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`pelote: Restoring overwrites on garage: sqlite:${database}. Confirm with the server and these paths.\n`);
    const confirmed = await cli(['restore', dump, '--server', 'garage', '--yes']);
    expect(confirmed.code).toBe(0);
    const check = new Database(database, { readonly: true });
    expect(check.prepare('select count(*) from notes').pluck().get()).toBe(2);
    check.close();
  });

  it('drills a job and exits 0 once verified', async () => {
    const drill = await cli(['--json', 'backup', 'drill', 'nextcloud']);
    expect(drill.code).toBe(0);
    expect(JSON.parse(drill.stdout)).toMatchObject({ kind: 'drill', status: 'succeeded', verification: { status: 'verified' } });
  });

  it("reports the after commands a dead Pelote's backup owes, exits 1 meanwhile, and runs them with after-commands", async () => {
    const flag = join(fixture.homeDir, 'site.maintenance');
    const core = openCore({ dataDir: data.dir, platform: testPlatform({ face: 'cli' }) });
    const jobs = new JobsService(core);
    const { serverId, repositoryId } = jobs.list().find((j) => j.name === 'nextcloud') ?? { serverId: '', repositoryId: '' };
    const job = jobs.create({ name: 'site', serverId, repositoryId, paths: [join(src, 'www')], afterCommands: [['rm', flag]] });
    // A backup whose process died after its before commands began.
    const runs = new RunsStore(core);
    const id = runs.insert({ kind: 'backup', jobId: job.id, repositoryId: job.repositoryId, serverId: job.serverId, trigger: 'cli', target: null, sourceSnapshots: [], afterCommands: job.afterCommands });
    runs.oweAfterCommands(id);
    core.db.prepare(`update backup_runs set owner_pid = ?, stage = 'files' where id = ?`).run(await exitedPid(), id);
    const startedAt = runs.summary(id).startedAt;
    core.close();
    writeFileSync(flag, '');
    const short = id.slice(0, 8);
    const line = `after commands of interrupted run ${short} (garage/site, started ${startedAt}) did not run (the app or pelote serve retries them from `;

    const listed = await cli(['backup', 'list']);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toContain(line);
    expect(listed.stdout).toContain(`): rm ${flag} — run them on the server, or: pelote backup after-commands ${short}\n`);
    const run = await cli(['--json', 'backup', 'run', 'nextcloud']);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded' });
    expect(run.stderr).toContain(line);
    expect(run.code).toBe(1);
    expect(existsSync(flag)).toBe(true);

    const done = await cli(['backup', 'after-commands', short]);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(
      [`after commands of run ${short}: ran`, '  info after commands owed by this interrupted run: attempt 1 (asked from the command line)', `  info after: rm ${flag}`, '  info after commands ran', ''].join('\n'),
    );
    expect(existsSync(flag)).toBe(false);
    expect((await cli(['backup', 'list'])).stdout).not.toContain('after commands of');
    expect(await cli(['backup', 'after-commands', '0000dead'])).toMatchObject({ code: 1, stderr: 'pelote: No run 0000dead.\n' });
    expect((await cli(['backup', 'after-commands'])).code).toBe(2);
  });

  it('reports unknown jobs and usage mistakes', async () => {
    expect(await cli(['backup', 'run', 'nope'])).toMatchObject({ code: 1, stderr: 'pelote: No backup job named nope.\n' });
    expect((await cli(['backup'])).code).toBe(2);
    expect((await cli(['restore', 'abcdef12'])).code).toBe(2);
  });
});

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.once('exit', done));
  return child.pid ?? -1;
}
