import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerInput } from '../../contract';
import { serverInputOf } from '../health/health-test-fixtures';
import { closePoolFor } from '../health/pool-for-core';
import { deliver, drain, joinTeam, laptop, syncedState, type Laptop } from './engine/sync-test-fixtures';

let laptops: Laptop[] = [];
afterEach(async () => {
  for (const l of laptops) {
    await closePoolFor(l);
    l.cleanup();
  }
  laptops = [];
});
const make = (name: string): Laptop => {
  const l = laptop(name);
  laptops.push(l);
  return l;
};

/** Anne's login on her laptop: her key, its passphrase in a file. None of it may ever leave it. */
const ANNE_KEY = '/home/anne/.ssh/id_ed25519_chatons';
const ANNE_PASSPHRASE = '/home/anne/.config/pelote/passphrase-garage';
const FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

const garage = (overrides: Partial<ServerInput> = {}): ServerInput => ({
  name: 'garage',
  host: 'garage.chatons.example',
  port: 2222,
  username: 'pelote',
  auth: { kind: 'key', keyPath: ANNE_KEY, passphrase: { kind: 'file', path: ANNE_PASSPHRASE } },
  tags: ['prod'],
  notes: 'Dans le placard du local',
  services: [{ name: 'Nextcloud', kind: 'nextcloud', url: 'https://cloud.chatons.example', unit: 'apache2.service', port: 443 }],
  ...overrides,
});

const codeOf = async (work: Promise<unknown>): Promise<{ code: string; message: string }> => {
  try {
    await work;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('servers and backups shared by the team', () => {
  it('a server (services, rules, pinned key, maintenance), a repository and a job made on A appear on B, without A’s login or password', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);
    const server = await a.call('servers.create', { server: garage() });
    await a.call('servers.updateRules', { id: server.id, rules: { disk_space: { enabled: true, threshold: 80, failAfter: 3, clearAfter: 2 } } });
    await a.call('servers.acceptHostKey', { id: server.id, fingerprint: FINGERPRINT });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await a.call('servers.setMaintenance', { id: server.id, until });
    const { repository, recoverySheet } = await a.call('backups.repositories.create', { name: 'usb', path: join(a.dataDir, 'repo'), passwordFile: null });
    expect(repository.passwordSource.kind).toBe('file');
    const job = await a.call('backups.jobs.create', {
      job: { name: 'nextcloud', serverId: server.id, repositoryId: repository.id, paths: ['/var/www/nextcloud'], schedule: { kind: 'daily', at: '03:00' } },
    });

    const messages = drain(a);
    const sent = JSON.stringify(messages);
    for (const local of [ANNE_KEY, ANNE_PASSPHRASE, recoverySheet.password, repository.passwordSource.kind === 'file' ? repository.passwordSource.path : '']) {
      expect(sent.includes(local), local).toBe(false);
    }
    deliver(b, messages);
    expect(drain(b), 'B sends nothing back').toEqual([]);
    expect(syncedState(b)).toEqual(syncedState(a));

    const onB = await b.call('servers.get', { id: server.id });
    expect(onB.server).toMatchObject({
      name: 'garage',
      host: 'garage.chatons.example',
      port: 2222,
      username: 'pelote',
      tags: ['prod'],
      notes: 'Dans le placard du local',
      hostKey: { fingerprint: FINGERPRINT },
      maintenanceUntil: until,
      // Each volunteer's own key: B has none yet.
      auth: { kind: 'key', keyPath: '', passphrase: { kind: 'none' } },
    });
    expect(onB.server.services).toEqual([expect.objectContaining({ name: 'Nextcloud', kind: 'nextcloud', url: 'https://cloud.chatons.example', unit: 'apache2.service', port: 443 })]);
    expect(onB.rules.disk_space).toEqual({ enabled: true, threshold: 80, failAfter: 3, clearAfter: 2 });
    expect(onB.summary).toMatchObject({ colour: 'grey', lastError: { code: 'server_key_missing_here', details: { name: 'garage' } } });
    expect(b.db.prepare('select key_path, passphrase_source, passphrase_sealed from servers').get()).toEqual({ key_path: null, passphrase_source: '{"kind":"none"}', passphrase_sealed: null });

    // Nothing is tried from B until B sets its own key: a sweep says why, a backup is refused before any run exists.
    const [swept] = await b.call('health.sweep', { serverId: server.id });
    expect(swept?.lastError?.code).toBe('server_key_missing_here');
    expect(b.db.prepare('select count(*) from sweeps').pluck().get()).toBe(0);
    const refused = await codeOf(b.call('backups.runs.start', { jobId: job.id }));
    expect(refused.code).toBe('server_key_missing_here');
    expect(refused.message).toContain('garage');
    expect(b.db.prepare('select count(*) from backup_runs').pluck().get()).toBe(0);

    const jobs = await b.call('backups.jobs.list', {});
    expect(jobs).toEqual([expect.objectContaining({ serverName: 'garage', repositoryName: 'usb', lastRun: null, freshness: 'never' })]);
    const [repositoryOnB] = await b.call('backups.repositories.list', {});
    expect(repositoryOnB).toMatchObject({ id: repository.id, name: 'usb', path: repository.path, resticId: repository.resticId, passwordSource: { kind: 'none' }, jobCount: 1 });

    // B sets its own key: it stays on B. A keeps its own.
    const { server: current } = await b.call('servers.get', { id: server.id });
    const bobKey = '/home/bob/.ssh/id_rsa';
    await b.call('servers.update', { id: server.id, server: { ...serverInputOf(current), auth: { kind: 'key', keyPath: bobKey, passphrase: { kind: 'env', name: 'BOB_PASSPHRASE' } } } });
    const fromB = drain(b);
    expect(JSON.stringify(fromB)).not.toContain(bobKey);
    expect(JSON.stringify(fromB)).not.toContain('BOB_PASSPHRASE');
    deliver(a, fromB);
    expect((await a.call('servers.get', { id: server.id })).server.auth).toEqual({ kind: 'key', keyPath: ANNE_KEY, passphrase: { kind: 'file', path: ANNE_PASSPHRASE } });
    expect((await b.call('servers.get', { id: server.id })).server.auth).toEqual({ kind: 'key', keyPath: bobKey, passphrase: { kind: 'env', name: 'BOB_PASSPHRASE' } });
    expect(syncedState(b)).toEqual(syncedState(a));

    // Now the repository: its password is not on B either, until B types it from the recovery sheet.
    const noPassword = await codeOf(b.call('backups.runs.start', { jobId: job.id }));
    expect(noPassword.code).toBe('backup_password_missing_here');
    expect(noPassword.message).toContain('usb');
    const wrong = await codeOf(b.call('backups.repositories.providePassword', { id: repository.id, password: 'not-the-password' }));
    expect(wrong.code).toBe('restic_wrong_password');
    const given = await b.call('backups.repositories.providePassword', { id: repository.id, password: recoverySheet.password });
    expect(given.passwordSource.kind).toBe('file');
    // Typing it from the sheet is as good as confirming the sheet is saved.
    expect(given.recoveryConfirmedAt).not.toBeNull();
    expect(await b.call('backups.repositories.status', { id: repository.id })).toMatchObject({ ok: true, snapshotCount: 0 });
    const afterPassword = JSON.stringify(drain(b));
    expect(afterPassword).not.toContain(recoverySheet.password);
    expect(afterPassword).not.toContain(join(b.dataDir, 'secrets'));
  }, 60_000);

  it('two laptops offline naming a server, a repository and a job alike keep both, listed as conflicts; the same rule set on both makes one row', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);
    const shared = await a.call('servers.create', { server: garage({ name: 'atelier', host: 'atelier.chatons.example' }) });
    deliver(b, drain(a));

    // Offline, each on their own laptop.
    const onA = await a.call('servers.create', { server: garage() });
    const onB = await b.call('servers.create', { server: garage({ host: '192.0.2.7', auth: { kind: 'agent' } }) });
    await a.call('servers.updateRules', { id: shared.id, rules: { memory: { enabled: true, threshold: 90, failAfter: 3, clearAfter: 3 } } });
    await b.call('servers.updateRules', { id: shared.id, rules: { memory: { enabled: false, threshold: 90, failAfter: 3, clearAfter: 3 }, disk_inodes: { enabled: true, threshold: 70, failAfter: 2, clearAfter: 2 } } });
    const repoA = await a.call('backups.repositories.create', { name: 'USB', path: join(a.dataDir, 'repo'), passwordFile: null });
    const repoB = await b.call('backups.repositories.create', { name: 'usb', path: join(b.dataDir, 'repo'), passwordFile: null });
    const jobOf = (repositoryId: string) => ({ job: { name: 'nextcloud', serverId: shared.id, repositoryId, paths: ['/var/www'] } });
    const jobA = await a.call('backups.jobs.create', jobOf(repoA.repository.id));
    const jobB = await b.call('backups.jobs.create', jobOf(repoB.repository.id));

    const fromA = drain(a);
    const fromB = drain(b);
    deliver(a, fromB);
    deliver(b, fromA);
    expect(syncedState(a)).toEqual(syncedState(b));
    expect((await a.call('servers.list', {})).map((s) => s.id).sort()).toEqual([shared.id, onA.id, onB.id].sort());

    const conflicts = await b.call('sync.conflicts', {});
    const sorted = (ids: string[]) => [...ids].sort();
    expect(conflicts).toEqual(
      expect.arrayContaining([
        { kind: 'server_name', key: 'garage', ids: sorted([onA.id, onB.id]) },
        { kind: 'repository_name', key: 'USB', ids: sorted([repoA.repository.id, repoB.repository.id]) },
        { kind: 'job_name', key: 'atelier / nextcloud', ids: sorted([jobA.id, jobB.id]) },
      ]),
    );
    expect(await a.call('sync.conflicts', {})).toEqual(conflicts);

    // A rule set on both laptops is one row, merged field by field (the later write of `memory` wins).
    const rules = a.db.prepare('select id, rule_id from rule_settings where server_id = ? order by rule_id').all(shared.id);
    expect(rules).toEqual([
      { id: `${shared.id}:disk_inodes`, rule_id: 'disk_inodes' },
      { id: `${shared.id}:memory`, rule_id: 'memory' },
    ]);
    expect((await a.call('servers.get', { id: shared.id })).rules).toEqual((await b.call('servers.get', { id: shared.id })).rules);

    // A duplicate can still be edited; renaming it is the resolution, an ordinary change that syncs.
    const input = serverInputOf((await b.call('servers.get', { id: onB.id })).server);
    await b.call('servers.update', { id: onB.id, server: { ...input, notes: 'Le serveur de Bruno' } });
    await b.call('servers.update', { id: onB.id, server: { ...input, name: 'garage-bruno' } });
    expect((await codeOf(b.call('servers.update', { id: onB.id, server: { ...input, name: 'GARAGE' } }))).code).toBe('server_name_taken');
    deliver(a, drain(b));
    expect((await a.call('sync.conflicts', {})).map((c) => c.kind)).not.toContain('server_name');
  }, 60_000);
});
