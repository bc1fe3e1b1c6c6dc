import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir } from '../../testing/temp-core';
import type { SecretBox } from '../platform';
import { healthCore, pinnedServer, serverInput } from './health-test-fixtures';

/** Stands in for Electron's safeStorage: reversible, and never the plain text. */
const fakeKeychain: SecretBox = {
  available: () => true,
  unavailableReason: () => null,
  seal: (plain) => Buffer.from(`sealed:${Buffer.from(plain).reverse().toString('base64')}`),
  open: (sealed) => Buffer.from(sealed.toString().slice('sealed:'.length), 'base64').reverse().toString(),
};

let fixture: SshdFixture;
let keys: ReturnType<typeof tempDataDir>;
let encryptedKey: string;
beforeAll(async () => {
  fixture = await startSshd();
  keys = tempDataDir();
  // The fixture's own key, encrypted with a passphrase.
  encryptedKey = join(keys.dir, 'encrypted_ed25519');
  copyFileSync(fixture.privateKeyPath, encryptedKey);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', encryptedKey]);
});
afterAll(async () => {
  await fixture.stop();
  keys.cleanup();
});

let core: ReturnType<typeof healthCore>;
beforeEach(() => {
  core = healthCore({ platform: { secrets: fakeKeychain } });
});
afterEach(async () => {
  await core.dispose();
});

describe('servers', () => {
  it('creates, updates (services diffed by id), lists and soft-deletes, each with its audit entry', async () => {
    const created = await core.call('servers.create', {
      server: serverInput(fixture, { name: 'Garage', tags: ['home'], services: [{ name: 'Pad', kind: 'etherpad', url: 'https://pad.example.org/' }, { name: 'Old', kind: 'other' }] }),
    });
    expect(created).toMatchObject({ name: 'Garage', port: fixture.port, tags: ['home'], hostKey: null, maintenanceUntil: null });
    const [pad, old] = created.services;
    await expect(core.call('servers.create', { server: serverInput(fixture, { name: 'garage' }) })).rejects.toMatchObject({ code: 'server_name_taken' });

    const updated = await core.call('servers.update', {
      id: created.id,
      server: serverInput(fixture, { name: 'Garage', services: [{ id: pad!.id, name: 'Etherpad', kind: 'etherpad', url: 'https://pad.example.org/' }, { name: 'Cloud', kind: 'nextcloud' }] }),
    });
    expect(updated.services.map((s) => [s.name, s.id === pad!.id])).toEqual([['Etherpad', true], ['Cloud', false]]);
    expect(updated.services.some((s) => s.id === old!.id)).toBe(false);

    expect((await core.call('servers.list', {})).map((s) => s.name)).toEqual(['Garage']);
    await core.call('servers.delete', { id: created.id });
    expect(await core.call('servers.list', {})).toEqual([]);
    await expect(core.call('servers.update', { id: created.id, server: serverInput(fixture) })).rejects.toMatchObject({ code: 'server_not_found' });
    // The name is free again once the server is deleted.
    await core.call('servers.create', { server: serverInput(fixture, { name: 'Garage' }) });

    const audit = core.audit.list({ entity: 'server', entityId: created.id });
    expect(audit.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    expect(Object.keys(audit[1]?.changes ?? {})).toEqual(['tags', 'services']);
  });

  it('pins a host key and keeps it when the host changes, so another machine is refused', async () => {
    const server = await pinnedServer(core.call, fixture);
    expect(server.hostKey?.fingerprint).toBe(fixture.hostKeyFingerprint);
    expect(server.hostKey?.acceptedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const other = await startSshd();
    try {
      await core.call('servers.update', { id: server.id, server: serverInput({ ...fixture, port: other.port }, { name: server.name }) });
      const [refused] = await core.call('health.sweep', { serverId: server.id });
      expect(refused?.lastError).toMatchObject({ code: 'ssh_host_key_changed', details: { expected: fixture.hostKeyFingerprint, actual: other.hostKeyFingerprint } });

      const test = await core.call('servers.testConnection', { server: serverInput({ ...fixture, port: other.port }), serverId: server.id });
      expect(test).toEqual({ fingerprint: other.hostKeyFingerprint, hostKey: 'changed', os: null, uptimeSeconds: null });
      const audit = core.audit.list({ entity: 'server', entityId: server.id });
      expect(audit.at(-1)?.changes).toEqual({ port: { from: fixture.port, to: other.port } });
    } finally {
      await other.stop();
    }
  });

  it('testConnection shows an unknown key without running anything, and identifies the server once trusted', async () => {
    const unknown = await core.call('servers.testConnection', { server: serverInput(fixture) });
    expect(unknown).toEqual({ fingerprint: fixture.hostKeyFingerprint, hostKey: 'unknown', os: null, uptimeSeconds: null });
    const trusted = await core.call('servers.testConnection', { server: serverInput(fixture), trustFingerprint: fixture.hostKeyFingerprint });
    expect(trusted.hostKey).toBe('unknown');
    expect(trusted.os).toMatch(/Linux/);
    expect(trusted.uptimeSeconds).toBeGreaterThan(0);
    const server = await pinnedServer(core.call, fixture);
    expect(await core.call('servers.testConnection', { server: serverInput(fixture), serverId: server.id })).toMatchObject({ hostKey: 'match', os: trusted.os });
  });

  it('reads a passphrase from the environment, a file or the keychain, and never stores it in clear', async () => {
    const auth = (passphrase: object) => ({ kind: 'key', keyPath: encryptedKey, passphrase }) as never;
    process.env.PELOTE_TEST_PASSPHRASE = 'correct horse';
    const passFile = join(keys.dir, 'passphrase');
    writeFileSync(passFile, 'correct horse\n');
    const viaEnv = await pinnedServer(core.call, fixture, { name: 'env', auth: auth({ kind: 'env', name: 'PELOTE_TEST_PASSPHRASE' }) });
    const viaFile = await pinnedServer(core.call, fixture, { name: 'file', auth: auth({ kind: 'file', path: passFile }) });
    const stored = await pinnedServer(core.call, fixture, { name: 'stored', auth: auth({ kind: 'stored' }) });
    const none = await pinnedServer(core.call, fixture, { name: 'none', auth: auth({ kind: 'none' }) });

    const before = Object.fromEntries((await core.call('health.sweep', { serverId: null })).map((s) => [s.name, s.lastError?.code ?? null]));
    expect(before).toEqual({ env: null, file: null, stored: 'ssh_passphrase_missing', none: 'ssh_key_passphrase' });

    await core.call('servers.setPassphrase', { id: stored.id, passphrase: 'correct horse' });
    const [after] = await core.call('health.sweep', { serverId: stored.id });
    expect(after?.lastError).toBeNull();
    const sealed = core.db.prepare('select passphrase_sealed from servers where id = ?').pluck().get(stored.id) as Buffer;
    expect(sealed.toString()).not.toContain('correct horse');
    const everything = JSON.stringify([core.db.prepare('select * from audit_log').all(), await core.call('servers.get', { id: stored.id })]);
    expect(everything).not.toContain('correct horse');
    expect([viaEnv.id, viaFile.id, none.id]).toHaveLength(3);
    delete process.env.PELOTE_TEST_PASSPHRASE;
  });

  it('refuses to store a passphrase where there is no keychain', async () => {
    const bare = healthCore();
    try {
      const server = await pinnedServer(bare.call, fixture);
      await expect(bare.call('servers.setPassphrase', { id: server.id, passphrase: 'x' })).rejects.toMatchObject({ code: 'unsupported_here' });
    } finally {
      await bare.dispose();
    }
  });

  it('refuses to store a passphrase on a Linux desktop without a keyring, and says why', async () => {
    const noKeyring: SecretBox = { ...fakeKeychain, available: () => false, unavailableReason: () => 'no_keyring' };
    const desktop = healthCore({ platform: { face: 'electron', secrets: noKeyring } });
    try {
      const server = await pinnedServer(desktop.call, fixture);
      await expect(desktop.call('servers.setPassphrase', { id: server.id, passphrase: 'x' })).rejects.toMatchObject({
        code: 'keyring_unavailable',
        details: { reason: 'no_keyring' },
      });
      expect(desktop.db.prepare('select passphrase_sealed from servers where id = ?').pluck().get(server.id)).toBeNull();
    } finally {
      await desktop.dispose();
    }
  });

  it('merges rule overrides over the defaults', async () => {
    const server = await pinnedServer(core.call, fixture);
    const rules = await core.call('servers.updateRules', { id: server.id, rules: { disk_space: { enabled: true, threshold: 80, failAfter: 3, clearAfter: 1 } } });
    expect(rules.disk_space).toEqual({ enabled: true, threshold: 80, failAfter: 3, clearAfter: 1 });
    expect(rules.server_unreachable).toEqual({ enabled: true, threshold: null, failAfter: 2, clearAfter: 2 });
    expect((await core.call('servers.get', { id: server.id })).rules).toEqual(rules);
  });
});
