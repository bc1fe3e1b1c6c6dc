import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../testing/cli-captured';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { backupNow, backupsCore, type BackupsCore, jobInput, loginOwner, makeTree } from '../backups/backups-test-fixtures';
import type { RepositoryCreated } from '../../contract';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import { BUSY_TIMEOUT_MS } from './write-transaction';

/**
 * Another process (cron's `pelote`, the app) holding the write lock: a child Node process with its own connection,
 * `BEGIN IMMEDIATE`, then sleeping with the lock held, as a long import would.
 */
function holdWriteLock(dbPath: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', script, dbPath, String(ms)], { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((done, fail) => child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`lock holder exited ${code}`)))));
  return new Promise((ready, fail) => {
    child.stdout.once('data', () => ready({ released }));
    child.once('error', fail);
  });
}

let fixture: SshdFixture;
let core: BackupsCore & { repository: RepositoryCreated; serverId: string };
beforeAll(async () => {
  fixture = await startSshd();
  core = await backupsCore(fixture);
}, 60_000);
afterAll(async () => {
  await core.dispose();
  await fixture.stop();
});

describe('writes while another process holds the write lock', () => {
  it('an import, a payment, a sweep and a backup run wait for the lock and succeed', async () => {
    const root = join(fixture.homeDir, 'locking');
    makeTree(root, loginOwner(fixture));
    const job = await core.call('backups.jobs.create', { job: jobInput(core, { paths: [root] }) });
    const member = await core.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: 'L-1', firstName: 'Hélène', lastName: 'Roux' } });
    const file = resolve(__dirname, '../members/import/fixtures/variants/helloasso-members.windows-1252.semicolon.csv');

    // Each write starts while the lock is held and must outlast it (2 s), not fail at once as a deferred BEGIN does.
    const waits = async <T>(label: string, write: () => Promise<T>): Promise<T> => {
      const { released } = await holdWriteLock(core.dbPath, 2000);
      const started = Date.now();
      const value = await write();
      expect(Date.now() - started, label).toBeGreaterThan(1000);
      await released;
      return value;
    };

    const imported = await waits('import', () => runCaptured(['--data-dir', core.dataDir, '--json', 'members', 'import', file]));
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const payment = await waits('payment', () =>
      core.call('payments.record', { memberId: member.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' }),
    );
    expect(payment.amountCents).toBe(2500);
    const [swept] = await waits('sweep', () => core.call('health.sweep', { serverId: core.serverId }));
    expect(swept?.lastError).toBeNull();
    const run = await waits('backup', () => backupNow(core, job.id));
    expect(run.status).toBe('succeeded');
  }, 60_000);

  it('gives up after the busy timeout with db_busy, and nothing is written', async () => {
    const before = core.db.prepare('select count(*) from members').pluck().get();
    const { released } = await holdWriteLock(core.dbPath, BUSY_TIMEOUT_MS + 1500);
    await expect(core.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: 'L-2', firstName: 'Zoé', lastName: 'Martin' } })).rejects.toMatchObject({ code: 'db_busy' });
    await released;
    expect(core.db.prepare('select count(*) from members').pluck().get()).toBe(before);
  }, 30_000);
});
