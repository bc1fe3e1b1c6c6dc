import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { utils } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../../testing/sshd';
import type { CoreError } from '../errors';
import { probeHostKey } from './connection';
import { command } from './shell-quote';
import { SshPool, type SshPoolOptions } from './ssh-pool';
import type { SshTarget } from './target';
import { fakeServer, pinStore, rejectionCode, targetOf, waitFor } from './testing/pool-fixtures';

const execFileAsync = promisify(execFile);
const PASSPHRASE = 'correct horse battery staple';

describe('SshPool faults', () => {
  let healthy: SshdFixture;
  let other: SshdFixture;
  let tmp: string;
  /** The healthy fixture's client key, encrypted with PASSPHRASE. */
  let encryptedKey: string;
  let store: ReturnType<typeof pinStore>;
  let pool: SshPool;
  const fixturesToStop: SshdFixture[] = [];

  beforeAll(async () => {
    [healthy, other] = await Promise.all([startSshd(), startSshd()]);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pelote-ssh-test-'));
    const keyFile = path.join(tmp, 'encrypted_ed25519');
    await copyFile(healthy.privateKeyPath, keyFile);
    await execFileAsync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', keyFile]);
    encryptedKey = await readFile(keyFile, 'utf8');
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await pool.closeAll();
    await Promise.all(fixturesToStop.splice(0).map((fixture) => fixture.stop()));
  });

  afterAll(async () => {
    await Promise.all([healthy.stop(), other.stop(), rm(tmp, { recursive: true, force: true })]);
  });

  async function newPool(options: Partial<SshPoolOptions> = {}, ...pinned: SshdFixture[]): Promise<SshPool> {
    store = pinStore(healthy, other, ...pinned);
    pool = new SshPool({
      hostKeys: store.policy,
      connectTimeoutMs: 1_000,
      execTimeoutMs: 5_000,
      backoff: { initialMs: 300, maxMs: 600 },
      ...options,
    });
    await pool.exec(targetOf(healthy), command('true')); // connected before any fault
    return pool;
  }

  async function extraFixture(): Promise<SshdFixture> {
    const fixture = await startSshd();
    fixturesToStop.push(fixture);
    return fixture;
  }

  /**
   * Runs a failing operation while the healthy server keeps answering, and returns the failure. The healthy
   * command must come back before the failure when the failure is slow (a timeout).
   */
  async function failureBesideHealthy(failing: Promise<unknown>): Promise<CoreError & { settledAfterHealthy: boolean }> {
    let failureSettled = false;
    const failure = failing.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => {
        failureSettled = true;
        return err as CoreError;
      },
    );
    const answer = await pool.exec(targetOf(healthy), command('echo', 'alive'));
    expect(answer.stdout).toBe('alive\n');
    const settledAfterHealthy = !failureSettled;
    return Object.assign(await failure, { settledAfterHealthy });
  }

  function expectServerDetails(error: CoreError, target: SshTarget): void {
    expect(error.details).toMatchObject({ serverId: target.id, host: target.host, port: target.port });
  }

  it('reports a closed port as refused', async () => {
    await newPool();
    const target: SshTarget = { ...targetOf(healthy), id: 'closed', port: await freeLoopbackPort() };
    const error = await failureBesideHealthy(pool.exec(target, command('true')));
    expect(error.code).toBe('ssh_refused');
    expectServerDetails(error, target);
  });

  it('times out on a listener that never speaks SSH, without holding up other servers', async () => {
    await newPool({ connectTimeoutMs: 400 });
    const silent = await fakeServer('silent');
    try {
      const target: SshTarget = { ...targetOf(healthy), id: 'silent', port: silent.port };
      const error = await failureBesideHealthy(pool.exec(target, command('true')));
      expect(error).toMatchObject({ code: 'ssh_timeout', details: { phase: 'handshake' } });
      expect(error.settledAfterHealthy).toBe(true);
    } finally {
      await silent.close();
    }
  });

  it('backs off after a failed connection: callers get the last error at once, the server is not hammered', async () => {
    await newPool();
    const dropping = await fakeServer('drop');
    try {
      const target: SshTarget = { ...targetOf(healthy), id: 'dropping', port: dropping.port };
      const attempt = (): Promise<string> => rejectionCode(pool.exec(target, command('true')));
      // Concurrent callers share one attempt; later ones get its error without a new connection.
      expect(await Promise.all([attempt(), attempt(), attempt()])).toEqual(Array(3).fill('ssh_connection_lost'));
      expect(await attempt()).toBe('ssh_connection_lost');
      expect(dropping.connections()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 350)); // first delay: 300 ms
      await attempt();
      await attempt();
      expect(dropping.connections()).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 350)); // second delay doubled: 600 ms
      await attempt();
      expect(dropping.connections()).toBe(2);
      await pool.close(target.id); // forgets the backoff
      await attempt();
      expect(dropping.connections()).toBe(3);
    } finally {
      await dropping.close();
    }
  });

  it('reports a refused key or user as an authentication failure', async () => {
    await newPool();
    const strangerKey = utils.generateKeyPairSync('ed25519').private;
    const wrongKey = targetOf(healthy, { id: 'wrong-key', auth: { kind: 'key', privateKey: strangerKey } });
    const wrongUser = targetOf(healthy, { id: 'wrong-user', username: 'pelote-nobody' });
    for (const target of [wrongKey, wrongUser]) {
      store.pins.set(target.id, healthy.hostKeyFingerprint);
      const error = await failureBesideHealthy(pool.exec(target, command('true')));
      expect(error.code).toBe('ssh_auth_failed');
      expectServerDetails(error, target);
    }
  });

  it('tells a missing or wrong passphrase apart, and connects with the right one', async () => {
    await newPool();
    const withKey = (id: string, passphrase?: string): SshTarget =>
      targetOf(healthy, { id, auth: { kind: 'key', privateKey: encryptedKey, ...(passphrase === undefined ? {} : { passphrase }) } });
    const errors: CoreError[] = [];
    for (const target of [withKey('no-passphrase'), withKey('wrong-passphrase', 'wrong horse')]) {
      store.pins.set(target.id, healthy.hostKeyFingerprint);
      const error = await failureBesideHealthy(pool.exec(target, command('true')));
      expect(error.code).toBe('ssh_key_passphrase');
      errors.push(error);
    }
    const garbled = targetOf(healthy, { id: 'garbled', auth: { kind: 'key', privateKey: 'not a key' } });
    expect((await failureBesideHealthy(pool.exec(garbled, command('true')))).code).toBe('ssh_key_invalid');
    const right = withKey('right-passphrase', PASSPHRASE);
    store.pins.set(right.id, healthy.hostKeyFingerprint);
    expect((await pool.exec(right, command('echo', 'unlocked'))).stdout).toBe('unlocked\n');
    // Neither passphrases nor key material ever appear in errors.
    const keyBody = encryptedKey.split('\n')[1]!;
    for (const error of errors) {
      const shown = JSON.stringify({ message: error.message, details: error.details });
      for (const secret of [PASSPHRASE, 'wrong horse', keyBody, healthy.privateKey.split('\n')[1]!]) {
        expect(shown).not.toContain(secret);
      }
    }
  });

  it('authenticates through ssh-agent, and reports a missing agent', async () => {
    await newPool();
    const target = targetOf(healthy, { id: 'via-agent', auth: { kind: 'agent' } });
    store.pins.set(target.id, healthy.hostKeyFingerprint);
    vi.stubEnv('SSH_AUTH_SOCK', undefined);
    expect((await failureBesideHealthy(pool.exec(target, command('true')))).code).toBe('ssh_agent_unavailable');
    vi.stubEnv('SSH_AUTH_SOCK', path.join(tmp, 'no-agent-here.sock'));
    await pool.close(target.id); // lift the backoff
    expect((await failureBesideHealthy(pool.exec(target, command('true')))).code).toBe('ssh_agent_unavailable');
    const agent = await startAgent(path.join(tmp, 'agent.sock'), healthy.privateKeyPath);
    try {
      vi.stubEnv('SSH_AUTH_SOCK', agent.socket);
      await pool.close(target.id);
      expect((await pool.exec(target, command('echo', 'agent'))).stdout).toBe('agent\n');
    } finally {
      agent.process.kill();
    }
  });

  it('refuses an unknown host key but shows its fingerprint for acceptance', async () => {
    await newPool();
    const target = targetOf(other, { id: 'not-yet-accepted' });
    const marker = path.join(other.homeDir, 'unknown-key-ran');
    expect(await probeHostKey(target, { timeoutMs: 1_000 })).toBe(other.hostKeyFingerprint);
    const error = await failureBesideHealthy(pool.exec(target, command('touch', marker)));
    expect(error).toMatchObject({ code: 'ssh_host_key_unknown', details: { fingerprint: other.hostKeyFingerprint } });
    expectServerDetails(error, target);
    expect(existsSync(marker)).toBe(false);
    store.pins.set(target.id, other.hostKeyFingerprint); // the user accepts it: no need to wait out the backoff
    expect((await pool.exec(target, command('touch', marker))).code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('blocks every command on a server whose host key changed, until the new key is accepted', async () => {
    await newPool();
    // The server answers with `other`'s key where `healthy`'s was pinned.
    const target = targetOf(other, { id: 'moved' });
    store.pins.set(target.id, healthy.hostKeyFingerprint);
    const marker = path.join(other.homeDir, 'changed-key-ran');
    for (let i = 0; i < 2; i++) {
      const error = await failureBesideHealthy(pool.exec(target, command('touch', marker)));
      expect(error).toMatchObject({
        code: 'ssh_host_key_changed',
        details: { expected: healthy.hostKeyFingerprint, actual: other.hostKeyFingerprint },
      });
      expect(error.message).toMatch(/intercept/);
    }
    await new Promise((resolve) => setTimeout(resolve, 350)); // after the backoff, still refused
    expect(await rejectionCode(pool.stream(target, command('touch', marker)))).toBe('ssh_host_key_changed');
    expect(existsSync(marker)).toBe(false);
    store.pins.set(target.id, other.hostKeyFingerprint);
    expect((await pool.exec(target, command('touch', marker))).code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('times out a command on a frozen server, drops the wedged connection, and reconnects once it thaws', async () => {
    const frozen = await extraFixture();
    await newPool({}, frozen);
    const target = targetOf(frozen);
    await pool.exec(target, command('true'));
    const running = pool.exec(target, command('sh', '-c', 'sleep 0.2; echo done'), { timeoutMs: 500 });
    frozen.pause();
    try {
      const error = await failureBesideHealthy(running);
      expect(error).toMatchObject({ code: 'ssh_exec_timeout', details: { timeoutMs: 500 } });
      expect(error.settledAfterHealthy).toBe(true);
      await waitFor(() => pool.stats().openConnections === 1, 3_000); // only the healthy one is left
    } finally {
      frozen.resume();
    }
    expect((await pool.exec(target, command('echo', 'thawed'))).stdout).toBe('thawed\n');
    expect(pool.stats().connects[target.id]).toBe(2);
  });

  it('drops a connection whose keepalives go unanswered, then reconnects', async () => {
    const frozen = await extraFixture();
    await newPool({ keepaliveIntervalMs: 100 }, frozen);
    const target = targetOf(frozen);
    await pool.exec(target, command('true'));
    expect(pool.stats().openConnections).toBe(2);
    frozen.pause();
    try {
      await waitFor(() => pool.stats().openConnections === 1, 3_000);
      expect((await pool.exec(targetOf(healthy), command('echo', 'alive'))).stdout).toBe('alive\n');
    } finally {
      frozen.resume();
    }
    expect((await pool.exec(target, command('echo', 'back'))).stdout).toBe('back\n');
    expect(pool.stats().connects[target.id]).toBe(2);
  });

  it('reports a server killed mid-command as a lost connection, then refused; a recycled target reconnects', async () => {
    const doomed = await extraFixture();
    await newPool({}, doomed);
    const target = targetOf(doomed);
    const running = pool.exec(target, command('sleep', '5'));
    await waitFor(() => pool.stats().inFlight[target.id] === 1, 2_000);
    // Heard before the kill: the client may see the connection end before kill() sees sshd exit.
    const lost = failureBesideHealthy(running);
    await doomed.kill();
    expect((await lost).code).toBe('ssh_connection_lost');
    expect((await failureBesideHealthy(pool.exec(target, command('true')))).code).toBe('ssh_refused');
    // The server comes back elsewhere (a new fixture: new port, keys and host key) under the same id.
    const reborn = await extraFixture();
    store.pins.set(target.id, reborn.hostKeyFingerprint);
    await pool.close(target.id);
    const recycled = targetOf(reborn, { id: target.id });
    expect((await pool.exec(recycled, command('echo', 'reborn'))).stdout).toBe('reborn\n');
  });

  it('rejects the exit of a stream nobody awaits without an unhandled rejection when its server dies', async () => {
    const doomed = await extraFixture();
    await newPool({}, doomed);
    const target = targetOf(doomed);
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const remote = await pool.stream(target, command('sleep', '5'));
      await doomed.kill();
      // The slot is freed once the pool has heard of the loss, which has rejected `exit` by then.
      await waitFor(() => pool.stats().inFlight[target.id] === undefined, 2_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(await rejectionCode(remote.exit)).toBe('ssh_connection_lost');
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('replaces the connection when the target changes, letting running commands finish', async () => {
    await newPool();
    const before = targetOf(healthy);
    // The same key, written differently: new parameters as far as the pool can tell, and no slow decryption.
    const after = targetOf(healthy, { auth: { kind: 'key', privateKey: `${healthy.privateKey}\n` } });
    const running = pool.exec(before, command('sh', '-c', 'sleep 0.3; echo old'));
    await waitFor(() => pool.stats().inFlight[before.id] === 1, 2_000);
    expect((await pool.exec(after, command('echo', 'new'))).stdout).toBe('new\n');
    expect(pool.stats()).toMatchObject({ openConnections: 2, connects: { [before.id]: 2 } });
    expect(await running).toMatchObject({ code: 0, stdout: 'old\n' });
    await waitFor(() => pool.stats().openConnections === 1, 2_000);
    expect((await pool.exec(after, command('echo', 'still'))).stdout).toBe('still\n');
    expect(pool.stats().connects[before.id]).toBe(2);
  });
});

/** A private ssh-agent holding `keyFile`; stop it with `process.kill()`. */
async function startAgent(socket: string, keyFile: string): Promise<{ socket: string; process: ChildProcess }> {
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  await waitFor(() => existsSync(socket), 2_000);
  await execFileAsync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  return { socket, process: agent };
}
