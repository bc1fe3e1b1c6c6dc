import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../../../src-renderer/i18n/locales/en.json';
import fr from '../../../src-renderer/i18n/locales/fr.json';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir } from '../../testing/temp-core';
import { pinnedServer, serverInput } from '../health/health-test-fixtures';
import { closePoolFor, poolFor } from '../health/pool-for-core';
import { laptop, type Laptop } from './engine/sync-test-fixtures';
import { allFiles, memberInput } from './engine/test-team';
import { parseSshFolder } from './ssh-folder';

describe('ssh:// team folder addresses', () => {
  it.each([
    ['ssh://pelote@example.org/srv/team', { username: 'pelote', host: 'example.org', port: 22, path: '/srv/team', label: 'ssh://pelote@example.org:22/srv/team' }],
    ['ssh://backup_1@Host-1.example.org:2222/srv/pelote team', { host: 'Host-1.example.org', port: 2222, path: '/srv/pelote team' }],
    ['ssh://u@127.0.0.1:65535/x/', { host: '127.0.0.1', port: 65535, path: '/x/', label: 'ssh://u@127.0.0.1:65535/x/' }],
    ['ssh://u@[::1]:2222/a@b/c-d', { host: '::1', port: 2222, path: '/a@b/c-d', label: 'ssh://u@[::1]:2222/a@b/c-d' }],
  ])('reads %s', (address, expected) => {
    expect(parseSshFolder(address)).toMatchObject(expected);
  });

  it.each([
    ['sftp://u@h/x', 'not an ssh:// address'],
    ['ssh://h/x', 'no user'],
    ['ssh://u@h', 'no path'],
    ['ssh://-u@h/x', 'a user starting with -'],
    ['ssh:// u@h/x', 'a space before the user'],
    ['ssh://u@v@h/x', 'two @'],
    ['ssh://u@-h/x', 'a host starting with -'],
    ['ssh://u@h o/x', 'a space in the host'],
    ['ssh://u@::1/x', 'an IPv6 address without brackets'],
    ['ssh://u@[example.org]/x', 'a host name in brackets'],
    ['ssh://u@h:/x', 'an empty port'],
    ['ssh://u@h:0/x', 'port 0'],
    ['ssh://u@h:65536/x', 'port 65536'],
    ['ssh://u@h:022/x', 'a port with a leading zero'],
    ['ssh://u@h:22x/x', 'a port with letters'],
    ['ssh://u@h/srv/-team', 'a path component starting with -'],
    ['ssh://u@h/-', 'a path that is an option'],
    ['ssh://u@h/srv/../etc', 'a .. component'],
    ['ssh://u@h/srv/te\u202eam', 'a bidi override'],
    ['ssh://u@h/srv\nx', 'a line break'],
    ['ssh://u@h/srv/team ', 'a trailing space'],
  ])('refuses %j (%s)', (address) => {
    let refusal: unknown;
    try {
      parseSshFolder(address);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'sync_folder_address_invalid', details: { folder: address } });
  });
});

/** Joining through a server this laptop does not know yet: a key and the fingerprint to pin, on the sshd fixture. */
describe('joining through ssh:// with a key and a fingerprint', () => {
  let sshd: SshdFixture;
  let keys: { dir: string; cleanup: () => void };
  let encryptedKey: string;
  let cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
    keys = tempDataDir();
    encryptedKey = join(keys.dir, 'encrypted_ed25519');
    copyFileSync(sshd.privateKeyPath, encryptedKey);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', encryptedKey]);
  });
  afterAll(async () => {
    await sshd.stop();
    keys.cleanup();
  });
  afterEach(async () => {
    for (const c of cleanups) await c();
    cleanups = [];
  });

  const make = (name: string): Laptop => {
    const l = laptop(name);
    poolFor(l, { connectTimeoutMs: 2_000, execTimeoutMs: 5_000, backoff: { initialMs: 1, maxMs: 1 } });
    cleanups.push(async () => {
      await closePoolFor(l);
      l.cleanup();
    });
    return l;
  };
  /** This laptop's own copy of the key: a path no other laptop has. */
  const ownKey = (name: string): string => {
    const path = join(keys.dir, `id_${name}`);
    copyFileSync(sshd.privateKeyPath, path);
    return path;
  };
  let counter = 0;
  /** An empty directory in the login user's home, owned by that user (the tests may run as root). */
  const serverDir = async (): Promise<string> => {
    const dir = join(sshd.homeDir, `join-${++counter}`);
    await mkdir(dir);
    const home = await stat(sshd.homeDir);
    await chown(dir, home.uid, home.gid);
    return dir;
  };
  /** A folder a laptop wrote locally (as root, in the tests) handed over to the login user, as if written over SFTP. */
  const handOver = async (dir: string): Promise<void> => {
    const home = await stat(sshd.homeDir);
    for (const path of [dir, ...allFiles(dir), ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f))]) await chown(path, home.uid, home.gid);
  };
  const address = (dir: string): string => `ssh://${sshd.username}@127.0.0.1:${sshd.port}${dir}`;
  const WRONG = `SHA256:${'A'.repeat(43)}`;
  /** Every table's rows, to show that a refused join wrote nothing. */
  const everything = (l: Laptop): Record<string, unknown[]> => {
    const tables = l.db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, l.db.prepare(`select * from "${t}"`).all()]));
  };

  it('B, knowing no server, joins with its key and the fingerprint, and the team’s server gets B’s key', async () => {
    const dir = await serverDir();
    const folder = address(dir);
    const a = make('a');
    const b = make('b');
    const server = await pinnedServer(a.call, sshd, { name: 'garage' });
    const helene = await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
    const sheet = await a.call('sync.create', { folder, keyFile: null });

    // A wrong fingerprint is refused at the handshake: nothing sent, nothing written here.
    const before = everything(b);
    const args = { folder, key: sheet.key, keyFile: null, identity: ownKey('b'), fingerprint: WRONG };
    const mismatch = b.call('sync.join', args);
    await expect(mismatch).rejects.toMatchObject({ code: 'sync_join_host_key_mismatch' });
    await expect(mismatch).rejects.toThrow(`shows the host key ${sshd.hostKeyFingerprint}, not ${WRONG} as given`);
    expect(everything(b)).toEqual(before);
    // An encrypted key without a passphrase source is said so before any connection; then with its file, it works.
    await expect(b.call('sync.join', { ...args, identity: encryptedKey, fingerprint: sshd.hostKeyFingerprint })).rejects.toMatchObject({ code: 'ssh_key_passphrase' });
    expect(everything(b)).toEqual(before);
    expect(en.errors).toHaveProperty('sync_join_host_key_mismatch');
    expect(fr.errors).toHaveProperty('sync_join_host_key_mismatch');

    const joined = await b.call('sync.join', { ...args, fingerprint: sshd.hostKeyFingerprint });
    expect(joined).toMatchObject({ inTeam: true, teamId: sheet.teamId, lastError: null });
    expect((await b.call('members.get', { id: helene.id })).member.firstName).toBe('Hélène');
    // The team's row, not a second one: B's own key on it, the team's pinned host key kept.
    const servers = await b.call('servers.list', {});
    expect(servers.map((s) => s.id)).toEqual([server.id]);
    const onB = (await b.call('servers.get', { id: server.id })).server;
    expect(onB.auth).toEqual({ kind: 'key', keyPath: join(keys.dir, 'id_b'), passphrase: { kind: 'none' } });
    expect(onB.hostKey?.fingerprint).toBe(sshd.hostKeyFingerprint);

    // From now on B syncs the usual way, through its core's pool, and A keeps its own key.
    await a.call('members.create', memberInput('2', 'Zoé', 'Le Goff'));
    await a.call('sync.now', {});
    expect(await b.call('sync.now', {})).toMatchObject({ lastError: null });
    expect(Object.values(poolFor(b).stats().connects)).toEqual([1]);
    expect((await a.call('servers.get', { id: server.id })).server.auth).toEqual(server.auth);
  });

  it('adds the server when the team has none at that address, pinned to the fingerprint; B’s passphrase from a file', async () => {
    const dir = await serverDir();
    const a = make('a');
    const b = make('b');
    // A reaches the folder as a local path (this machine is the server): the team has no server.
    await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    await handOver(dir);
    const passphraseFile = join(keys.dir, 'passphrase');
    writeFileSync(passphraseFile, 'correct horse\n', { mode: 0o600 });
    const passphrase = { kind: 'file' as const, path: passphraseFile };
    const folder = address(dir);
    await b.call('sync.join', { folder, key: sheet.key, keyFile: null, identity: encryptedKey, fingerprint: sshd.hostKeyFingerprint, passphrase });

    const [added, ...others] = await b.call('servers.list', {});
    expect(others).toEqual([]);
    const server = (await b.call('servers.get', { id: added?.id ?? '' })).server;
    expect(server).toMatchObject({ name: '127.0.0.1', host: '127.0.0.1', port: sshd.port, username: sshd.username });
    expect(server.auth).toEqual({ kind: 'key', keyPath: encryptedKey, passphrase });
    expect(server.hostKey?.fingerprint).toBe(sshd.hostKeyFingerprint);
    const audit = b.db.prepare("select action from audit_log where entity = 'server' and entity_id = ? order by at, rowid").pluck().all(server.id);
    expect(audit).toEqual(['create', 'update']);
    // It went out with B's join: A now has it, without a key of its own (keys never leave a laptop).
    await handOver(dir);
    await a.call('sync.now', {});
    const onA = (await a.call('servers.get', { id: server.id })).server;
    expect(onA.auth).toEqual({ kind: 'key', keyPath: '', passphrase: { kind: 'none' } });
    expect(onA.hostKey?.fingerprint).toBe(sshd.hostKeyFingerprint);
    expect(await b.call('sync.now', {})).toMatchObject({ lastError: null });
  });

  it('refuses, trusting nothing, when the team pinned another host key for that server', async () => {
    const dir = await serverDir();
    const a = make('a');
    const b = make('b');
    const server = await a.call('servers.create', { server: serverInput(sshd, { name: 'garage', host: '127.0.0.1' }) });
    await a.call('servers.acceptHostKey', { id: server.id, fingerprint: WRONG });
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    await handOver(dir);
    const join_ = b.call('sync.join', { folder: address(dir), key: sheet.key, keyFile: null, identity: ownKey('b'), fingerprint: sshd.hostKeyFingerprint });
    await expect(join_).rejects.toMatchObject({ code: 'sync_join_host_key_differs' });
    await expect(join_).rejects.toThrow(`pinned the host key ${WRONG} for garage, not ${sshd.hostKeyFingerprint} as given`);
    const onB = (await b.call('servers.get', { id: server.id })).server;
    expect(onB.auth).toEqual({ kind: 'key', keyPath: '', passphrase: { kind: 'none' } });
    expect(onB.hostKey?.fingerprint).toBe(WRONG);
    // B is in the team all the same, its register with the team's; its next sync says its key is missing for the server.
    expect((await b.call('sync.status', {})).inTeam).toBe(true);
    expect((await b.call('sync.now', {})).lastError?.code).toBe('server_key_missing_here');
  });

  it('takes a key and fingerprint only together, only for an ssh:// folder, and no keychain passphrase', async () => {
    const c = make('c');
    const base = { folder: address('/srv/team'), key: 'AAAA', keyFile: null };
    const refused = { code: 'invalid_argument' };
    await expect(c.call('sync.join', { ...base, identity: '/k' })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, fingerprint: sshd.hostKeyFingerprint })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, identity: 'id_ed25519', fingerprint: sshd.hostKeyFingerprint })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, identity: '/k', fingerprint: 'SHA256:short' })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, folder: '/media/usb', identity: '/k', fingerprint: sshd.hostKeyFingerprint })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, identity: '/k', fingerprint: sshd.hostKeyFingerprint, passphrase: { kind: 'stored' } })).rejects.toMatchObject(refused);
    await expect(c.call('sync.join', { ...base, passphrase: { kind: 'env', name: 'X' } })).rejects.toMatchObject(refused);
  });
});
