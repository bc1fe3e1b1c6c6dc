import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { Client } from 'ssh2';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sshConnectConfig, startSshd, type SshdFixture } from './sshd';

interface Connection {
  client: Client;
  /** Fingerprints the host verifier was shown. */
  seen: string[];
  ready: Promise<void>;
}

function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

function connect(fixture: SshdFixture, expectedFingerprint = fixture.hostKeyFingerprint): Connection {
  const client = new Client();
  const seen: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
  });
  client.connect({
    ...sshConnectConfig(fixture),
    // ssh2 never sets TCP_NODELAY: every round trip would stall ~40 ms on Nagle.
    sock: net.connect({ host: fixture.host, port: fixture.port, noDelay: true }),
    hostVerifier: (key: Buffer) => {
      const fingerprint = sha256Fingerprint(key);
      seen.push(fingerprint);
      return fingerprint === expectedFingerprint;
    },
    readyTimeout: 5_000,
  });
  return { client, seen, ready };
}

function exec(client: Client, command: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let code: number | null = null;
      // Both outputs must be consumed, or the channel's exit and close never arrive.
      stream.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      stream.stderr.resume();
      stream.once('exit', (exitCode: number | null) => (code = exitCode));
      stream.once('close', () => resolve({ stdout, code }));
    });
  });
}

/** The error code of a plain TCP connection attempt, or 'connected'. */
function tcpOutcome(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

describe('startSshd', () => {
  let fixtures: SshdFixture[] = [];

  beforeAll(async () => {
    fixtures = await Promise.all([startSshd(), startSshd()]);
  });

  afterAll(async () => {
    await Promise.all(fixtures.map((fixture) => fixture.stop()));
  });

  it('runs independent servers on distinct loopback ports', () => {
    const [a, b] = fixtures;
    expect(a?.host).toBe('127.0.0.1');
    expect(b?.host).toBe('127.0.0.1');
    expect(a?.port).not.toBe(b?.port);
    expect(a?.hostKeyFingerprint).not.toBe(b?.hostKeyFingerprint);
  });

  it('reports the host key fingerprint exactly as ssh-keygen prints it', () => {
    for (const fixture of fixtures) {
      const listed = spawnSync('ssh-keygen', ['-l', '-f', '-'], { input: fixture.hostPublicKey, encoding: 'utf8' });
      expect(listed.stdout.split(' ')[1]).toBe(fixture.hostKeyFingerprint);
    }
  });

  it('authenticates with the client key and runs commands as the login user', async () => {
    for (const fixture of fixtures) {
      const { client, seen, ready } = connect(fixture);
      try {
        await ready;
        expect(seen).toEqual([fixture.hostKeyFingerprint]);
        const result = await exec(client, 'id -un; echo hello');
        expect(result).toEqual({ stdout: `${fixture.username}\nhello\n`, code: 0 });
      } finally {
        client.end();
      }
    }
  });

  it('fails the handshake when the host key does not match the expected fingerprint', async () => {
    const [fixture] = fixtures;
    if (fixture === undefined) throw new Error('no fixture');
    const { client, seen, ready } = connect(fixture, `SHA256:${'A'.repeat(43)}`);
    try {
      await expect(ready).rejects.toThrow(/verification failed/i);
      expect(seen).toEqual([fixture.hostKeyFingerprint]);
    } finally {
      client.end();
    }
  });

  it('freezes and thaws open sessions with pause() and resume()', async () => {
    const fixture = await startSshd();
    const { client, ready } = connect(fixture);
    try {
      await ready;
      fixture.pause();
      const result = exec(client, 'echo thawed');
      expect(await settlesWithin(result, 200)).toBe(false);
      fixture.resume();
      expect(await result).toEqual({ stdout: 'thawed\n', code: 0 });
    } finally {
      client.end();
      await fixture.stop();
    }
  });

  it('drops open connections and refuses new ones after kill()', async () => {
    const fixture = await startSshd();
    const { client, ready } = connect(fixture);
    try {
      await ready;
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      await fixture.kill();
      expect(await settlesWithin(closed, 1_000)).toBe(true);
      expect(await tcpOutcome(fixture.port)).toBe('ECONNREFUSED');
    } finally {
      client.end();
      await fixture.stop();
    }
  });

  it('ends its sshd and removes its files after stop(), which is idempotent', async () => {
    const fixture = await startSshd();
    expect(await tcpOutcome(fixture.port)).toBe('connected');
    await Promise.all([fixture.stop(), fixture.stop()]);
    await fixture.stop();
    // The process is gone, not merely the port closed: a freed port may at once be another test's listener.
    expect(() => process.kill(fixture.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(existsSync(fixture.dir)).toBe(false);
  });
});
