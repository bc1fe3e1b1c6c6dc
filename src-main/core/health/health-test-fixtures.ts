// Shared by the health tests: a core whose pool has short timeouts, and servers pointing at sshd fixtures.
import type { ArgsOf, MethodName, ResultOf, Server, ServerInput } from '../../contract';
import type { SshdFixture } from '../../testing/sshd';
import { tempCore } from '../../testing/temp-core';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import { closePoolFor, poolFor } from './pool-for-core';

export type TestCore = ReturnType<typeof tempCore>;

/**
 * A core whose pool gives up quickly (tests of dead servers) and retries at once (tests of recovery); `pool: {}`
 * keeps the production defaults.
 */
export function healthCore(
  options: Parameters<typeof tempCore>[0] & { pool?: Parameters<typeof poolFor>[1] } = {},
): TestCore & { call: Call; dispose: () => Promise<void> } {
  const core = tempCore(options);
  poolFor(core, options.pool ?? { connectTimeoutMs: 1_500, execTimeoutMs: 3_000, backoff: { initialMs: 1, maxMs: 1 } });
  const handlers = createHandlers(core);
  const call: Call = async (method, args) => {
    const result = await dispatch(handlers, method, args);
    if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code} ${result.error.message}`), { code: result.error.code, details: result.error.details });
    return result.value as never;
  };
  return Object.assign(core, {
    call,
    dispose: async () => {
      await closePoolFor(core);
      core.cleanup();
    },
  });
}

export type Call = <M extends MethodName>(method: M, args: ArgsOf<M>) => Promise<ResultOf<M>>;

export const serverInput = (fixture: Pick<SshdFixture, 'host' | 'port' | 'username' | 'privateKeyPath'>, overrides: Partial<ServerInput> = {}): ServerInput => ({
  name: `srv-${fixture.port}`,
  host: fixture.host,
  port: fixture.port,
  username: fixture.username,
  auth: { kind: 'key', keyPath: fixture.privateKeyPath, passphrase: { kind: 'none' } },
  ...overrides,
});

/** The fixtures are this machine, whose load (parallel tests) no test controls: its rule stays off in tests. */
export const IGNORE_MACHINE_LOAD = { load_per_core: { enabled: false, threshold: 2, failAfter: 4, clearAfter: 4 } } as const;

/** Creates the server and pins the fixture's host key, as a user does after checking the fingerprint. */
export async function pinnedServer(call: Call, fixture: SshdFixture, overrides: Partial<ServerInput> = {}): Promise<Server> {
  const server = await call('servers.create', { server: serverInput(fixture, overrides) });
  await call('servers.updateRules', { id: server.id, rules: IGNORE_MACHINE_LOAD });
  return call('servers.acceptHostKey', { id: server.id, fingerprint: fixture.hostKeyFingerprint });
}

/** What the server form sends back for a server as it is. */
export const serverInputOf = (server: Server): ServerInput => ({
  name: server.name,
  host: server.host,
  port: server.port,
  username: server.username,
  auth: server.auth,
  tags: server.tags,
  notes: server.notes,
  sweepIntervalSeconds: server.sweepIntervalSeconds,
  services: server.services.map(({ serverId: _s, ...service }) => service),
});
