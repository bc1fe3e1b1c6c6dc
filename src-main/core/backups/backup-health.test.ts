import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, RunKind } from '../../contract';
import { freeLoopbackPort } from '../../testing/sshd';
import { fixedClock } from '../../testing/temp-core';
import { healthCore, serverInput } from '../health/health-test-fixtures';
import { ServersService } from '../health/servers-service';
import { sweepServer } from '../health/sweep';
import { poolFor } from '../health/pool-for-core';
import { startBackupScheduler } from './backup-scheduler';
import { backupObservations } from './backup-health';
import { jobInput } from './backups-test-fixtures';
import { operationsFor } from './operations';
import { RunsStore } from './runs-store';
import { writeTransaction } from '../db/write-transaction';

const T0 = '2026-03-02T08:00:00.000Z';
const hours = (h: number) => new Date(new Date(T0).getTime() + h * 3_600_000).toISOString();
const clock = fixedClock(T0);
let core: ReturnType<typeof healthCore>;
let serverId: string;
let job: BackupJob;
let manual: BackupJob;

beforeAll(async () => {
  core = healthCore({ clock });
  // A closed port: the server is down, which backups judge from this laptop's records anyway.
  const server = await core.call('servers.create', { server: serverInput({ host: '127.0.0.1', port: await freeLoopbackPort(), username: 'nobody', privateKeyPath: '/nonexistent' }, { name: 'garage' }) });
  serverId = server.id;
  const { repository } = await core.call('backups.repositories.create', { name: 'usb', path: join(core.dataDir, 'repo') });
  const base = { repository: { repository, recoverySheet: { repositoryId: '', name: '', path: '', resticId: '', password: '', createdAt: '' } }, serverId };
  job = await core.call('backups.jobs.create', { job: jobInput(base, { paths: ['/srv'], schedule: { kind: 'interval', hours: 6 }, drill: { serverId: null, everyDays: 7 } }) });
  manual = await core.call('backups.jobs.create', { job: jobInput(base, { name: 'manual', paths: ['/etc'], drill: { serverId: null, everyDays: null } }) });
}, 30_000);

afterAll(() => core.dispose());

/** A finished run as the operations would record it. */
function recordRun(kind: RunKind, status: 'succeeded' | 'failed', at: string): void {
  clock.set(at);
  const runs = new RunsStore(core);
  const id = writeTransaction(core.db, () => runs.insert({ kind, jobId: job.id, repositoryId: job.repositoryId, serverId, trigger: 'schedule', target: null, sourceSnapshots: [] }));
  runs.finish(id, { status, stage: 'done', error: null, bytesTotal: null, bytesRead: 0, files: 0, dataAdded: null, verification: null, written: null, health: null, snapshots: [], log: [] });
}

const observed = (at: string) => {
  clock.set(at);
  const rules = new ServersService(core).rules(serverId);
  return Object.fromEntries(backupObservations(core, serverId, rules, core.clock.now()).filter((o) => o.subject === job.id).map((o) => [o.ruleId, o]));
};

describe('backup health', () => {
  it('judges freshness against twice the schedule and drills against 8 days, one check per job', () => {
    expect(observed(hours(11))).toMatchObject({ backup_stale: { failing: false }, restore_unverified: { failing: false } });
    expect(observed(hours(13))).toMatchObject({ backup_stale: { failing: true, errorCode: 'backup_never_succeeded', value: { jobName: 'nextcloud', maxAgeHours: 12 } } });
    recordRun('backup', 'failed', hours(13));
    expect(observed(hours(14)).backup_stale?.failing).toBe(true);
    recordRun('backup', 'succeeded', hours(14));
    expect(observed(hours(25)).backup_stale).toMatchObject({ failing: false, value: { lastSuccessAt: hours(14) } });
    expect(observed(hours(27)).backup_stale).toMatchObject({ failing: true, errorCode: 'backup_stale' });
    expect(observed(hours(8 * 24 + 1)).restore_unverified).toMatchObject({ failing: true, errorCode: 'restore_unverified', value: { maxAgeDays: 8, lastVerifiedAt: null } });
    recordRun('drill', 'succeeded', hours(8 * 24 + 2));
    expect(observed(hours(8 * 24 + 3)).restore_unverified?.failing).toBe(false);
    // A manual job has no schedule to be late on.
    clock.set(hours(40 * 24));
    const forManual = backupObservations(core, serverId, new ServersService(core).rules(serverId), core.clock.now()).filter((o) => o.subject === manual.id);
    expect(forManual.map((o) => o.ruleId)).toEqual(['restore_unverified']);
  });

  it('opens an incident per stale job from a sweep, even while the server is unreachable', async () => {
    clock.set(hours(40 * 24));
    await sweepServer(core, poolFor(core), serverId);
    const incidents = await core.call('incidents.list', { serverId });
    const stale = incidents.filter((i) => i.ruleId === 'backup_stale');
    expect(stale).toHaveLength(1);
    expect(stale[0]?.cause).toMatchObject({ code: 'backup_stale', value: { jobId: job.id } });
    expect(incidents.filter((i) => i.ruleId === 'restore_unverified')).toHaveLength(2);
  });
});

describe('the backup scheduler', () => {
  it('starts a due job once per slot (a failed attempt waits for the next one), then again when due', async () => {
    const runs = new RunsStore(core);
    clock.set(hours(50 * 24));
    const scheduler = startBackupScheduler(core, { tickMs: 60_000 });
    try {
      const started = runs.list({ jobId: job.id, serverId: null, kind: 'backup', status: 'all', limit: 10 });
      expect(started[0]).toMatchObject({ trigger: 'schedule', status: 'running' });
      const run = await operationsFor(core).wait(started[0]?.id ?? '');
      expect(run).toMatchObject({ status: 'failed', error: { code: 'ssh_key_unreadable' } });
      scheduler.tick();
      expect(runs.list({ jobId: job.id, serverId: null, kind: 'backup', status: 'all', limit: 10 })).toHaveLength(started.length);
      clock.set(hours(50 * 24 + 6));
      scheduler.tick();
      const again = runs.list({ jobId: job.id, serverId: null, kind: 'backup', status: 'all', limit: 10 });
      expect(again).toHaveLength(started.length + 1);
      await operationsFor(core).wait(again[0]?.id ?? '');
      // Never the manual job.
      expect(runs.list({ jobId: manual.id, serverId: null, kind: null, status: 'all', limit: 10 })).toEqual([]);
    } finally {
      await scheduler.stop();
    }
  });
});
