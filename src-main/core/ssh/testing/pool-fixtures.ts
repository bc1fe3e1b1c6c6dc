// Helpers for the pool's tests against real sshd fixtures on 127.0.0.1.
import net from 'node:net';
import type { SshdFixture } from '../../../testing/sshd';
import type { HostKeyPolicy } from '../host-key';
import type { SshTarget } from '../target';

export function targetOf(fixture: SshdFixture, changes: Partial<SshTarget> = {}): SshTarget {
  return {
    id: `server-${fixture.port}`,
    host: fixture.host,
    port: fixture.port,
    username: fixture.username,
    auth: { kind: 'key', privateKey: fixture.privateKey },
    ...changes,
  };
}

/** A mutable pin store, as the servers table will be: accepting a key is `pins.set(id, fingerprint)`. */
export function pinStore(...fixtures: SshdFixture[]): { pins: Map<string, string>; policy: HostKeyPolicy } {
  const pins = new Map(fixtures.map((fixture) => [targetOf(fixture).id, fixture.hostKeyFingerprint]));
  return { pins, policy: { expected: (serverId) => pins.get(serverId) ?? null } };
}

/** The CoreError code a promise rejects with (fails the test if it resolves). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  throw new Error('expected a rejection');
}

/** A TCP listener on 127.0.0.1 that counts connections and either holds them silently or drops them at once. */
export async function fakeServer(behaviour: 'silent' | 'drop'): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.on('error', () => undefined);
    if (behaviour === 'drop') return socket.destroy();
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    connections: () => count,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
