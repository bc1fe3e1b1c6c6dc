// One SSH pool per core, shared by sweeps and every other server operation, so each server has one connection.
import type { Core } from '../core';
import { SshPool, type SshPoolOptions } from '../ssh';

const pools = new WeakMap<Core, SshPool>();

/** The host keys the user pinned, read on every new connection so an accepted key applies at once. */
export const pinnedHostKeys = (core: Core): SshPoolOptions['hostKeys'] => ({
  expected: (serverId) =>
    (core.db.prepare('select host_key_fingerprint from servers where id = ? and deleted_at is null').pluck().get(serverId) as string | null | undefined) ?? null,
});

/** The core's pool, created on first use; `options` (tests: short timeouts) only apply to that first call. */
export function poolFor(core: Core, options: Omit<SshPoolOptions, 'hostKeys'> = {}): SshPool {
  let pool = pools.get(core);
  if (pool === undefined) {
    // A probe answers in well under a second: 15 s means frozen, and still leaves room in a 30 s sweep interval.
    pool = new SshPool({ hostKeys: pinnedHostKeys(core), execTimeoutMs: 15_000, ...options });
    pools.set(core, pool);
  }
  return pool;
}

/** For the core's owner to call when it closes. */
export async function closePoolFor(core: Core): Promise<void> {
  const pool = pools.get(core);
  pools.delete(core);
  await pool?.closeAll();
}
