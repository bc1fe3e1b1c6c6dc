// Shared by the metrics tests: a core with one server row (metrics reference it) and a clock the test moves.
import { fixedClock } from '../../testing/temp-core';
import { healthCore } from '../health/health-test-fixtures';
import { ingestSample } from './ingest';
import { writeTransaction } from '../db/write-transaction';

export const T0 = Date.parse('2026-06-01T00:00:00.000Z');

export async function metricsCore(startIso = '2026-06-01T00:00:00.000Z') {
  const clock = fixedClock(startIso);
  const core = healthCore({ clock });
  const server = await core.call('servers.create', {
    server: { name: 'garage', host: '127.0.0.1', port: 2222, username: 'admin', auth: { kind: 'agent' } },
  });
  /** Stores one sweep's values at `atMs`, as a sweep does (in a transaction). */
  const ingest = (atMs: number, values: Record<string, number>): void =>
    writeTransaction(core.db, () => ingestSample(core.db, server.id, atMs, new Map(Object.entries(values))));
  return Object.assign(core, { clock, serverId: server.id, ingest });
}
