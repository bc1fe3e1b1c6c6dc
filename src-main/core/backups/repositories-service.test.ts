import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepositoryCreated } from '../../contract';
import { freeLoopbackPort } from '../../testing/sshd';
import { healthCore, serverInput } from '../health/health-test-fixtures';
import type { SecretBox } from '../platform';
import { jobInput } from './backups-test-fixtures';

/** Stands in for Electron's safeStorage: reversible, and never the plain text. */
const fakeKeychain: SecretBox = {
  available: () => true,
  unavailableReason: () => null,
  seal: (plain) => Buffer.from(`sealed:${Buffer.from(plain).reverse().toString('base64')}`),
  open: (sealed) => Buffer.from(sealed.toString().slice('sealed:'.length), 'base64').reverse().toString(),
};

let desktop: ReturnType<typeof healthCore>;
let cli: ReturnType<typeof healthCore>;
let created: RepositoryCreated;

beforeAll(async () => {
  desktop = healthCore({ platform: { face: 'electron', secrets: fakeKeychain } });
  cli = healthCore({ platform: { face: 'cli' } });
  created = await desktop.call('backups.repositories.create', { name: 'USB disk', path: join(desktop.dataDir, 'usb', 'repo') });
}, 30_000);

afterAll(async () => {
  await desktop.dispose();
  await cli.dispose();
});

describe('repositories', () => {
  it('creates one with a generated password that only the keychain holds, and a recovery sheet', () => {
    const { repository, recoverySheet } = created;
    expect(repository).toMatchObject({ name: 'USB disk', passwordSource: { kind: 'stored' }, recoveryConfirmedAt: null, jobCount: 0 });
    expect(repository.resticId).toMatch(/^[0-9a-f]{64}$/);
    expect(recoverySheet).toMatchObject({ repositoryId: repository.id, path: repository.path, resticId: repository.resticId });
    // Nothing to misread on paper: no 0/O, 1/l/I, no punctuation.
    expect(recoverySheet.password).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{40}$/);
    // Neither the database (WAL included) nor the audit trail holds it in clear.
    desktop.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(desktop.dataDir).filter((f) => f.startsWith('pelote.sqlite3'))) {
      expect(readFileSync(join(desktop.dataDir, file)).includes(recoverySheet.password)).toBe(false);
    }
    expect(JSON.stringify(desktop.audit.list({ entity: 'backup_repository' }))).not.toContain(recoverySheet.password);
    expect(existsSync(join(desktop.dataDir, 'secrets'))).toBe(false);
  });

  it('shows the sheet again only until it is confirmed saved', async () => {
    const id = created.repository.id;
    expect((await desktop.call('backups.repositories.recoverySheet', { id })).password).toBe(created.recoverySheet.password);
    const confirmed = await desktop.call('backups.repositories.confirmRecoverySaved', { id });
    expect(confirmed.recoveryConfirmedAt).not.toBeNull();
    await expect(desktop.call('backups.repositories.recoverySheet', { id })).rejects.toMatchObject({ code: 'backup_recovery_sheet_confirmed' });
    expect(desktop.audit.list({ entity: 'backup_repository', entityId: id }).map((e) => e.action)).toEqual(['create', 'update']);
  });

  it('reports it open and unlocked', async () => {
    expect(await desktop.call('backups.repositories.status', { id: created.repository.id })).toEqual({ repositoryId: created.repository.id, ok: true, error: null, snapshotCount: 0, locks: [] });
  });

  it('attaches an existing repository on another laptop from the recovery sheet: the password goes to a 0600 file', async () => {
    const { path, password } = created.recoverySheet;
    await expect(cli.call('backups.repositories.attach', { name: 'usb', path, password: 'not it' })).rejects.toMatchObject({ code: 'restic_wrong_password' });
    expect(cli.db.prepare('select count(*) from backup_repositories').pluck().get()).toBe(0);
    expect(existsSync(join(cli.dataDir, 'secrets')) ? readdirSync(join(cli.dataDir, 'secrets')) : []).toEqual([]);

    const attached = await cli.call('backups.repositories.attach', { name: 'usb', path, password });
    expect(attached).toMatchObject({ resticId: created.repository.resticId, passwordSource: { kind: 'file' } });
    expect(attached.recoveryConfirmedAt).not.toBeNull();
    const file = attached.passwordSource.kind === 'file' ? attached.passwordSource.path : '';
    expect(file.startsWith(join(cli.dataDir, 'secrets'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await cli.call('backups.repositories.status', { id: attached.id })).ok).toBe(true);
    await expect(cli.call('backups.repositories.attach', { name: 'again', path, password })).rejects.toMatchObject({ code: 'backup_repository_known' });
  });

  it('never overwrites a password file, nor creates a second record of a known repository, leaving nothing behind', async () => {
    const passwordFile = join(cli.dataDir, 'taken.password');
    writeFileSync(passwordFile, 'another repository');
    await expect(cli.call('backups.repositories.create', { name: 'other', path: join(cli.dataDir, 'other'), passwordFile })).rejects.toMatchObject({ code: 'file_exists' });
    expect(readFileSync(passwordFile, 'utf8')).toBe('another repository');
    const second = join(cli.dataDir, 'second.password');
    await expect(desktop.call('backups.repositories.create', { name: 'twice', path: created.repository.path, passwordFile: second })).rejects.toMatchObject({ code: 'backup_repository_known' });
    expect(existsSync(second)).toBe(false);
  });

  it('is forgotten only once no job writes into it', async () => {
    const server = await desktop.call('servers.create', { server: serverInput({ host: '127.0.0.1', port: await freeLoopbackPort(), username: 'nobody', privateKeyPath: '/nonexistent' }) });
    const job = await desktop.call('backups.jobs.create', { job: jobInput({ repository: created, serverId: server.id }, { paths: ['/srv'] }) });
    await expect(desktop.call('backups.repositories.delete', { id: created.repository.id })).rejects.toMatchObject({ code: 'backup_repository_in_use', details: { count: 1 } });
    await desktop.call('backups.jobs.delete', { id: job.id });
    await desktop.call('backups.repositories.delete', { id: created.repository.id });
    expect(await desktop.call('backups.repositories.list', {})).toEqual([]);
    expect(existsSync(join(created.repository.path, 'config'))).toBe(true);
  });
});

describe('the restic engine', () => {
  it('finds restic on PATH with its version, and refuses a missing or too old binary', async () => {
    const found = await cli.call('backups.engine', {});
    expect(found).toMatchObject({ available: true, source: 'path', minimumVersion: '0.14.0', configuredPath: null, error: null });
    expect(found.version).toMatch(/^\d+\.\d+\.\d+$/);
    const old = join(cli.dataDir, 'old-restic');
    writeFileSync(old, '#!/bin/sh\necho "restic 0.9.6 compiled with go1.13.8 on linux/amd64"\n');
    chmodSync(old, 0o755);
    await expect(cli.call('backups.setResticPath', { path: old })).rejects.toMatchObject({ code: 'restic_too_old', details: { version: '0.9.6' } });
    await expect(cli.call('backups.setResticPath', { path: join(cli.dataDir, 'nowhere') })).rejects.toMatchObject({ code: 'restic_missing' });
    const configured = await cli.call('backups.setResticPath', { path: found.path });
    expect(configured).toMatchObject({ available: true, source: 'configured', configuredPath: found.path });
    expect((await cli.call('backups.setResticPath', { path: null })).source).toBe('path');
  });
});
