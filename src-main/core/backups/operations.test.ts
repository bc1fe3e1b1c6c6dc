// A Pelote that dies mid-backup (here `pelote backup run` in a child process, SIGKILLed once the job's before command
// put the "server" in maintenance) leaves the job's after commands owed: the next start runs them, an unreachable
// server keeps them pending (retried, capped, reported by the CLI), and they can be run on demand.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, BackupRun, BackupRunSummary } from '../../contract';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { runCaptured } from '../../testing/cli-captured';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir } from '../../testing/temp-core';
import { pinnedServer } from '../health/health-test-fixtures';
import { startBackupScheduler } from './backup-scheduler';
import { backupNow, backupsCore, chownTree, jobInput, loginOwner } from './backups-test-fixtures';
import { operationsFor } from './operations';
import { AFTER_MAX_AUTOMATIC_ATTEMPTS, RunsStore } from './runs-store';

const ROOT = resolve(__dirname, '../../..');

let fixture: SshdFixture;
let core: Awaited<ReturnType<typeof backupsCore>>;
/** While this file exists on the "server", the jobs' second before command waits: the backup stays in that stage. */
let hold: string;

beforeAll(async () => {
  fixture = await startSshd();
  core = await backupsCore(fixture);
  hold = join(fixture.homeDir, 'hold');
  mkdirSync(join(fixture.homeDir, 'site'));
  writeFileSync(join(fixture.homeDir, 'site', 'index.html'), '<h1>bonjour</h1>\n');
  chownTree(join(fixture.homeDir, 'site'), loginOwner(fixture));
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await fixture.stop();
});

const flagOf = (name: string) => join(fixture.homeDir, `${name}.maintenance`);

/** Maintenance on before (then a wait while `hold` exists), off after: the job a security review worries about. */
async function maintenanceJob(name: string, serverId = core.serverId): Promise<BackupJob> {
  const job = jobInput(core, {
    name,
    paths: [join(fixture.homeDir, 'site')],
    beforeCommands: [['touch', flagOf(name)], ['sh', '-c', 'while [ -e "$1" ]; do sleep 0.05; done', 'sh', hold]],
    afterCommands: [['rm', flagOf(name)]],
  });
  return core.call('backups.jobs.create', { job: { ...job, serverId } });
}

async function until(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** `pelote backup run JOB` in a child, killed like a crash once the before command set the flag: its run stays 'running'. */
async function dieMidBackup(job: BackupJob): Promise<BackupRunSummary> {
  writeFileSync(hold, '');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', '--data-dir', core.dataDir, 'backup', 'run', job.id], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise((done) => child.once('exit', done));
  try {
    await until(`the before command (child: ${stderr})`, () => existsSync(flagOf(job.name)));
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(hold, { force: true });
  }
  const [run] = new RunsStore(core).list({ jobId: job.id, serverId: null, kind: 'backup', status: 'all', limit: 1 });
  expect(run).toMatchObject({ status: 'running', stage: 'before_commands', afterCommands: { state: 'pending', commands: [['rm', flagOf(job.name)]], attempts: 0 } });
  return run as BackupRunSummary;
}

/** The next start of the app or `pelote serve`: the scheduler's first tick, and everything it began, to its end. */
async function nextStart(): Promise<void> {
  const scheduler = startBackupScheduler(core, { tickMs: 3_600_000 });
  await scheduler.stop();
}

const get = (id: string): Promise<BackupRun> => core.call('backups.runs.get', { id });
const cli = (args: string[]) => runCaptured(['--data-dir', core.dataDir, ...args], { stopSignal: () => new Promise(() => undefined) });

/** A loopback relay to the fixture's sshd: closed, the "server" refuses connections at once, as a host that is down. */
async function relay(port: number): Promise<{ port: number; open: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const listen = (at: number) =>
    new Promise<number>((done, fail) => {
      server = net.createServer((client) => {
        const upstream = net.connect({ host: '127.0.0.1', port });
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined).on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', fail).listen(at, '127.0.0.1', () => done((server?.address() as net.AddressInfo).port));
    });
  const bound = await listen(0);
  return {
    port: bound,
    open: async () => {
      await listen(bound);
    },
    close: () =>
      new Promise((done) => {
        for (const s of sockets) s.destroy();
        if (server === null) return done();
        server.close(() => done());
      }),
  };
}

describe('after commands owed by a Pelote that died mid-backup', () => {
  it('run at the next start: the maintenance flag is gone, the run says so in its record and its log', async () => {
    const job = await maintenanceJob('nextcloud');
    const dead = await dieMidBackup(job);

    await nextStart();

    expect(existsSync(flagOf(job.name))).toBe(false);
    const run = await get(dead.id);
    expect(run).toMatchObject({ status: 'interrupted', error: { code: 'backup_interrupted' }, afterCommands: { state: 'ran', attempts: 1, nextAttemptAt: null } });
    const texts = run.log.map((l) => `${l.level} ${l.text}`);
    const from = texts.indexOf('info after commands owed by this interrupted run: attempt 1 (by Pelote on its own)');
    expect(texts.slice(from)).toEqual(['info after commands owed by this interrupted run: attempt 1 (by Pelote on its own)', `info after: rm ${flagOf(job.name)}`, 'info after commands ran']);
    // Nothing else was started: the job is manual.
    expect(await core.call('backups.runs.list', { jobId: job.id })).toHaveLength(1);
    expect((await cli(['backup', 'list'])).stdout).not.toContain('after commands of');
  });

  it('a server that cannot be reached keeps them pending: retried, then no more; the CLI says so; run on demand once it is back', async () => {
    const link = await relay(fixture.port);
    const attic = await pinnedServer(core.call, fixture, { name: 'attic', port: link.port });
    const job = await maintenanceJob('wiki', attic.id);
    const dead = await dieMidBackup(job);
    await link.close();

    await nextStart();

    const pending = await get(dead.id);
    expect(pending.afterCommands).toMatchObject({ state: 'pending', attempts: 1 });
    const triedAt = new Date(pending.afterCommands?.nextAttemptAt ?? 0).getTime() - 60_000;
    expect(Math.abs(triedAt - Date.now())).toBeLessThan(30_000);
    expect(pending.log.at(-2)).toMatchObject({ level: 'error', text: expect.stringMatching(/refused/i) as string });
    expect(pending.log.at(-1)).toMatchObject({ level: 'warn', text: 'after commands did not run: they stay pending and are retried' });
    expect(existsSync(flagOf(job.name))).toBe(true);

    const short = dead.id.slice(0, 8);
    const listed = await cli(['backup', 'list']);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toContain(
      `after commands of interrupted run ${short} (attic/wiki, started ${dead.startedAt}) did not run (the app or pelote serve retries them from ${pending.afterCommands?.nextAttemptAt ?? ''}): rm ${flagOf(job.name)} — run them on the server, or: pelote backup after-commands ${short}`,
    );
    // With --json, stdout stays the jobs' JSON and the warning goes to stderr.
    const json = await cli(['--json', 'backup', 'list']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toBeInstanceOf(Array);
    expect(json.stderr).toContain(`after commands of interrupted run ${short}`);
    // A good backup of another job still exits 1 while these are owed.
    const other = await core.call('backups.jobs.create', { job: jobInput(core, { name: 'plain', paths: [join(fixture.homeDir, 'site')] }) });
    const ran = await cli(['backup', 'run', other.id]);
    expect(ran.stdout).toMatch(/^backup succeeded in/);
    expect(ran.stdout).toContain(`after commands of interrupted run ${short} (attic/wiki`);
    expect(ran.code).toBe(1);

    // Each retry waits its pause (here skipped by moving the last attempt back in time), then they stop.
    const ops = operationsFor(core);
    const due = () => core.db.prepare(`update backup_runs set after_tried_at = '2000-01-01T00:00:00.000Z' where id = ?`).run(dead.id);
    for (let attempt = 2; attempt <= AFTER_MAX_AUTOMATIC_ATTEMPTS; attempt++) {
      await ops.retryAfterCommands();
      expect((await get(dead.id)).afterCommands?.attempts).toBe(attempt - 1);
      due();
      await ops.retryAfterCommands();
      expect((await get(dead.id)).afterCommands?.attempts).toBe(attempt);
    }
    due();
    await ops.retryAfterCommands();
    const given = await get(dead.id);
    expect(given.afterCommands).toMatchObject({ state: 'pending', attempts: AFTER_MAX_AUTOMATIC_ATTEMPTS, nextAttemptAt: null });
    expect(given.log.at(-1)).toMatchObject({ level: 'error', text: `after commands did not run, and Pelote stops retrying after ${AFTER_MAX_AUTOMATIC_ATTEMPTS} attempts: run them by hand or again` });

    await link.open();
    const done = await core.call('backups.runs.runAfterCommands', { id: dead.id });
    expect(done.afterCommands).toMatchObject({ state: 'ran', attempts: AFTER_MAX_AUTOMATIC_ATTEMPTS + 1, nextAttemptAt: null });
    expect(done.log.at(-3)?.text).toBe(`after commands owed by this interrupted run: attempt ${AFTER_MAX_AUTOMATIC_ATTEMPTS + 1} (asked from the app)`);
    expect(existsSync(flagOf(job.name))).toBe(false);
    const audit = core.db.prepare(`select changes from audit_log where entity = 'backup_run' and entity_id = ? and action = 'update'`).pluck().all(dead.id) as string[];
    expect(audit.map((c) => JSON.parse(c) as unknown)).toEqual([{ afterCommandsRequested: { from: 'pending', to: 'manual' } }]);
    expect((await cli(['backup', 'list'])).stdout).not.toContain('after commands of');
    await link.close();
  });

  it('an after command that fails on the server is not retried on its own; the next backup that runs them settles it', async () => {
    const job = await maintenanceJob('forum');
    const dead = await dieMidBackup(job);
    rmSync(flagOf(job.name)); // someone ended maintenance by hand: `rm` now fails

    await nextStart();
    const failed = await get(dead.id);
    expect(failed.afterCommands).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null });
    expect(failed.log.at(-1)).toMatchObject({ level: 'error', text: 'after commands failed: check the server, then run them by hand or again' });
    await operationsFor(core).retryAfterCommands();
    expect((await get(dead.id)).afterCommands?.attempts).toBe(1);
    expect((await cli(['backup', 'list'])).stdout).toContain(`after commands of interrupted run ${dead.id.slice(0, 8)} (garage/forum, started ${dead.startedAt}) failed: rm ${flagOf(job.name)}`);

    const next = await backupNow(core, job.id);
    expect(next).toMatchObject({ status: 'succeeded', afterCommands: { state: 'ran', attempts: 1 } });
    const settled = await get(dead.id);
    expect(settled.afterCommands?.state).toBe('not_needed');
    expect(settled.log.at(-1)?.text).toBe(`after commands not needed any more: run ${next.id.slice(0, 8)} ran them again (ran)`);
    expect((await cli(['backup', 'list'])).stdout).not.toContain('after commands of');
  });

  it('a Pelote that dies before the before commands begin owes nothing', async () => {
    const job = await maintenanceJob('blog');
    const runs = new RunsStore(core);
    const id = runs.insert({ kind: 'backup', jobId: job.id, repositoryId: job.repositoryId, serverId: job.serverId, trigger: 'cli', target: null, sourceSnapshots: [], afterCommands: job.afterCommands });
    core.db.prepare('update backup_runs set owner_pid = ? where id = ?').run(await exitedPid(), id);
    await nextStart();
    expect(await get(id)).toMatchObject({ status: 'interrupted', stage: 'starting', afterCommands: { state: 'not_needed', attempts: 0 } });
  });
});

describe('upgrading to a Pelote that tracks after commands', () => {
  it("owes the job's after commands for each job's latest backup left running or interrupted past its start", () => {
    const data = tempDataDir();
    try {
      const path = join(data.dir, 'pelote.sqlite3');
      const db = openDatabase(path);
      const clock = { now: () => new Date('2025-01-01T00:00:00Z') };
      migrate(db, migrations.slice(0, 5), clock, path);
      db.exec(`
        insert into servers (id, name, host, port, username, auth_kind, created_at, updated_at) values ('s', 'garage', '127.0.0.1', 22, 'u', 'agent', 't', 't');
        insert into backup_repositories (id, name, path, restic_id, password_source, created_at, updated_at) values ('r', 'usb', '/r', 'x', '{"kind":"stored"}', 't', 't');
        insert into backup_jobs (id, server_id, repository_id, name, spec, created_at, updated_at) values
          ('j', 's', 'r', 'nextcloud', '{"afterCommands":[["occ","maintenance:mode","--off"]]}', 't', 't'),
          ('k', 's', 'r', 'plain', '{"afterCommands":[]}', 't', 't');
        insert into backup_runs (id, kind, job_id, repository_id, server_id, trigger, status, stage, owner_pid, started_at, created_at, updated_at) values
          ('old', 'backup', 'j', 'r', 's', 'schedule', 'interrupted', 'files', 1, '2024-01-01', 't', 't'),
          ('last', 'backup', 'j', 'r', 's', 'schedule', 'interrupted', 'files', 1, '2024-02-01', 't', 't'),
          ('none', 'backup', 'k', 'r', 's', 'schedule', 'running', 'files', 1, '2024-02-01', 't', 't');
      `);
      migrate(db, migrations, clock, path);
      const rows = db.prepare('select id, after_state, after_commands from backup_runs order by id').all();
      expect(rows).toEqual([
        { id: 'last', after_state: 'pending', after_commands: '[["occ","maintenance:mode","--off"]]' },
        { id: 'none', after_state: null, after_commands: '[]' },
        { id: 'old', after_state: null, after_commands: '[]' },
      ]);
      db.close();
    } finally {
      data.cleanup();
    }
  });
});

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.once('exit', done));
  return child.pid ?? -1;
}
