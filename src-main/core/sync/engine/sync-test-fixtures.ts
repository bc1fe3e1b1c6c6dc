// Several laptops in one test: each a real core on its own data directory, in one team, exchanging messages directly
// (the folder layer has its own tests).
import { makeClientId } from '@actual-app/crdt';
import { dispatch } from '../../dispatch';
import { createHandlers } from '../../handlers';
import { writeTransaction } from '../../db/write-transaction';
import type { Call } from '../../health/health-test-fixtures';
import { tempCore } from '../../../testing/temp-core';
import { applyMessages, type SyncMessage } from './apply';
import { captureExistingRows } from './capture';
import { startCapture } from './team-clock';
import { SYNCED_TABLES } from './synced-tables';

export type Laptop = ReturnType<typeof laptop>;

export function laptop(name: string) {
  const core = tempCore();
  const handlers = createHandlers(core);
  const call: Call = async (method, args) => {
    const result = await dispatch(handlers, method, args);
    if (!result.ok) throw Object.assign(new Error(`${name} ${method}: ${result.error.code} ${result.error.message}`), { code: result.error.code });
    return result.value as never;
  };
  return Object.assign(core, { name, call });
}

/** Puts the laptop in the team (what init and join do, without the folder) and captures what it already holds. */
export function joinTeam(device: Laptop, teamId = 'team'): void {
  writeTransaction(device.db, () => {
    device.db
      .prepare(`insert into sync_team (id, team_id, node, folder, key_source, joined_at) values (1, ?, ?, 'test', '{"kind":"test"}', ?)`)
      .run(teamId, makeClientId(), new Date().toISOString());
  });
  startCapture(device.db);
  writeTransaction(device.db, () => captureExistingRows(device.db, 'all'));
}

/** Empties the outbox into one "segment". */
export function drain(device: Laptop): SyncMessage[] {
  return writeTransaction(device.db, () => {
    const messages = device.db.prepare('select timestamp, dataset, row, col as "column", value from sync_outbox order by timestamp').all() as SyncMessage[];
    device.db.prepare('delete from sync_outbox').run();
    return messages;
  });
}

export function deliver(device: Laptop, messages: readonly SyncMessage[]): void {
  writeTransaction(device.db, () => applyMessages(device.db, messages));
}

/** Every synced table's synced columns, in key order: what must be identical on every laptop. */
export function syncedState(device: Laptop): Record<string, unknown[]> {
  return Object.fromEntries(
    SYNCED_TABLES.map((t) => [t.table, device.db.prepare(`select ${[t.key, ...t.columns].join(', ')} from ${t.table} ${t.when ? `where ${t.when.replaceAll('NEW.', '')}` : ''} order by ${t.key}`).all()]),
  );
}
