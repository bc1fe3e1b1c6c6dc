import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server, utils, type ClientChannel, type ParsedKey, type SFTPWrapper } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { SshConnection } from './connection';
import { fingerprintOf } from './host-key';
import { command } from './shell-quote';
import { SshPool, type SshPoolOptions } from './ssh-pool';
import { pinStore, rejectionCode, targetOf, waitFor } from './testing/pool-fixtures';

/** Runs one SFTP request as a promise. */
function sftpCall<T = undefined>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}

const names = (sftp: SFTPWrapper, dir: string): Promise<string[]> =>
  sftpCall<{ filename: string }[]>((done) => sftp.readdir(dir, done)).then((entries) => entries.map((e) => e.filename).sort());

describe('SshPool SFTP sessions', () => {
  let a: SshdFixture;
  let pool: SshPool;
  const fixturesToStop: SshdFixture[] = [];

  beforeAll(async () => {
    a = await startSshd();
    await writeFile(path.join(a.homeDir, 'marker'), '');
  });

  afterEach(async () => {
    await pool.closeAll();
    await Promise.all(fixturesToStop.splice(0).map((fixture) => fixture.stop()));
  });

  afterAll(async () => {
    await a.stop();
  });

  function newPool(options: Partial<SshPoolOptions> = {}, ...fixtures: SshdFixture[]): SshPool {
    pool = new SshPool({ hostKeys: pinStore(a, ...fixtures).policy, connectTimeoutMs: 2_000, execTimeoutMs: 5_000, ...options });
    return pool;
  }

  async function extraFixture(): Promise<SshdFixture> {
    const fixture = await startSshd();
    fixturesToStop.push(fixture);
    return fixture;
  }

  it('runs a session on the shared connection, holding a slot until the server closed it', async () => {
    const target = targetOf(a);
    newPool();
    await pool.exec(target, command('mkdir', '-p', path.join(a.homeDir, 'sftp')));
    let session: SFTPWrapper | undefined;
    let closed = false;
    const listed = await pool.sftp(target, async (sftp) => {
      session = sftp;
      sftp.once('close', () => (closed = true));
      expect(pool.stats().inFlight).toEqual({ [target.id]: 1 });
      await sftpCall((done) => sftp.writeFile(path.join(a.homeDir, 'sftp', 'héllo.txt'), 'over sftp', done));
      return names(sftp, path.join(a.homeDir, 'sftp'));
    });
    expect(listed).toEqual(['héllo.txt']);
    expect(await readFile(path.join(a.homeDir, 'sftp', 'héllo.txt'), 'utf8')).toBe('over sftp');
    expect(closed).toBe(true);
    expect(session).toBeDefined();
    expect(pool.stats()).toMatchObject({ openConnections: 1, inFlight: {}, connects: { [target.id]: 1 } });
  });

  it("ends the session when the caller's work fails, and passes its error on", async () => {
    const target = targetOf(a);
    newPool();
    let closed = false;
    const failing = pool.sftp(target, (sftp) => {
      sftp.once('close', () => (closed = true));
      return Promise.reject(new Error('the caller failed'));
    });
    await expect(failing).rejects.toThrow('the caller failed');
    expect(closed).toBe(true);
    expect(pool.stats().inFlight).toEqual({});
    expect(await pool.sftp(target, (sftp) => names(sftp, a.homeDir))).toContain('marker');
  });

  it("counts against sshd's MaxSessions: with 10 commands running, the session opens once one ends", async () => {
    const connection = await SshConnection.open(targetOf(a), { hostKeys: pinStore(a).policy, timeoutMs: 2_000, keepaliveIntervalMs: 0 });
    newPool();
    try {
      const never = new AbortController().signal;
      const channels: ClientChannel[] = [];
      for (let i = 0; i < 10; i++) channels.push(await connection.exec(command('sleep', '0.3'), never));
      const exits = channels.map((channel) => new Promise((resolve) => channel.resume().once('close', resolve)));
      const started = performance.now();
      const sftp = await connection.sftp(never);
      // Refused while all ten ran (OpenSSH's MaxSessions), retried, and opened once one had ended.
      expect(performance.now() - started).toBeGreaterThanOrEqual(200);
      expect(await names(sftp, a.homeDir)).toContain('marker');
      sftp.end();
      await Promise.all(exits);
    } finally {
      await connection.close();
    }
  });

  it('lets a running session finish when its connection retires, then closes the connection', async () => {
    const connection = await SshConnection.open(targetOf(a), { hostKeys: pinStore(a).policy, timeoutMs: 2_000, keepaliveIntervalMs: 0 });
    newPool();
    const sftp = await connection.sftp(new AbortController().signal);
    let connectionClosed = false;
    void connection.closed.then(() => (connectionClosed = true));
    connection.retire();
    expect(connection.usable).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connectionClosed).toBe(false);
    expect(await names(sftp, a.homeDir)).toContain('marker');
    sftp.end();
    await connection.closed;
  });

  it('does not retry on a server without SFTP, and replaces the connection its refused session stays open on', async () => {
    const server = await serverWithoutSftp();
    try {
      const target = targetOf(a, { id: 'no-sftp', port: server.port });
      const connection = await SshConnection.open(target, { hostKeys: { expected: () => server.fingerprint }, timeoutMs: 2_000, keepaliveIntervalMs: 0 });
      newPool();
      const refused = connection.sftp(new AbortController().signal);
      expect(await rejectionCode(refused)).toBe('ssh_channel_failed');
      expect(server.sessions()).toBe(1);
      expect(connection.usable).toBe(false);
      await connection.closed; // nothing else ran on it
    } finally {
      await server.close();
    }
  });

  it('rejects with the reason of an aborted opening', async () => {
    const connection = await SshConnection.open(targetOf(a), { hostKeys: pinStore(a).policy, timeoutMs: 2_000, keepaliveIntervalMs: 0 });
    newPool();
    try {
      const reason = new Error('given up');
      await expect(connection.sftp(AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(connection.usable).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('times out opening a session on a frozen server, drops the connection, and reconnects once it thaws', async () => {
    const frozen = await extraFixture();
    newPool({ execTimeoutMs: 400 }, frozen);
    const target = targetOf(frozen);
    await pool.exec(target, command('true'));
    frozen.pause();
    try {
      const opening = pool.sftp(target, () => Promise.reject(new Error('never opened')));
      await expect(opening).rejects.toMatchObject({ code: 'ssh_timeout', details: { phase: 'sftp', timeoutMs: 400 } });
      expect(pool.stats().inFlight).toEqual({});
      await waitFor(() => pool.stats().openConnections === 0, 2_000); // the wedged connection was dropped
    } finally {
      frozen.resume();
    }
    expect(await pool.sftp(target, (sftp) => names(sftp, frozen.homeDir))).toEqual([]);
    expect(pool.stats().connects[target.id]).toBe(2);
  });

  it('closes the session of a server that dies, and frees its slot', async () => {
    const doomed = await extraFixture();
    newPool({}, doomed);
    const target = targetOf(doomed);
    const dying = pool.sftp(target, async (sftp) => {
      const closed = new Promise((resolve) => sftp.once('close', resolve));
      await doomed.kill();
      await closed;
      throw new Error('the server died');
    });
    await expect(dying).rejects.toThrow('the server died');
    expect(pool.stats().inFlight).toEqual({});
    expect(await rejectionCode(pool.sftp(target, () => Promise.resolve()))).toBe('ssh_refused');
  });
});

/** An SSH server on 127.0.0.1 that lets anyone in and opens sessions, but refuses every subsystem (no SFTP). */
async function serverWithoutSftp(): Promise<{ port: number; fingerprint: string; sessions: () => number; close: () => Promise<void> }> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  let sessions = 0;
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (context) => context.accept());
    client.on('session', (accept) => {
      sessions++;
      accept().on('subsystem', (_accept, reject) => reject());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicKey = utils.parseKey(hostKey.public) as ParsedKey;
  return {
    port: (server.address() as AddressInfo).port,
    fingerprint: fingerprintOf(publicKey.getPublicSSH()),
    sessions: () => sessions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
