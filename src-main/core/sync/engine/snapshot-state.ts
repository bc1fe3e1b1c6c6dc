// A snapshot is the team's state compacted: every synced cell's winning timestamp and its value as this laptop holds
// it — after erasures, so an erased member's values are gone from it — plus, per device, the last segment it
// covers. Applying one is applying those cells as messages: the same last-writer-wins merge, so a laptop that already
// has part of it, or has changes of its own not in it, loses nothing.
import type { Db } from '../../db/open';
import type { SyncMessage } from '../sync-message';
import { applyMessages } from './apply';
import { encodeCell } from './cell-value';
import { SYNCED_TABLES } from './synced-tables';

export const SNAPSHOT_FORMAT = 1;

/** One row: its cells' timestamps (most share the row's `t`) and values, column by column. */
interface SnapshotRow {
  r: string;
  t: string;
  /** Column name → [value] or [value, timestamp] when the timestamp differs from `t`. */
  c: Record<string, [string] | [string, string]>;
}

export interface SnapshotState {
  format: number;
  schemaVersion: number;
  /** Per device, the last segment whose changes are in this snapshot. */
  cursors: Record<string, number>;
  tables: Record<string, SnapshotRow[]>;
}

/** This laptop's synced state; `cursors` must include its own last published segment. */
export function buildSnapshot(db: Db, schemaVersion: number, cursors: Record<string, number>): SnapshotState {
  const tables: Record<string, SnapshotRow[]> = {};
  const cellsOf = db.prepare('select row, col, timestamp from sync_cells where dataset = ? order by row');
  for (const t of SYNCED_TABLES) {
    const cells = new Map<string, Map<string, string>>();
    for (const cell of cellsOf.iterate(t.table) as Iterable<{ row: string; col: string; timestamp: string }>) {
      let row = cells.get(cell.row);
      if (!row) cells.set(cell.row, (row = new Map<string, string>()));
      row.set(cell.col, cell.timestamp);
    }
    const rows: SnapshotRow[] = [];
    const select = db.prepare(`select ${[t.key, ...t.columns].join(', ')} from ${t.table}`);
    for (const record of select.iterate() as Iterable<Record<string, unknown>>) {
      const key = String(record[t.key]);
      const stamps = cells.get(key);
      if (!stamps) continue; // never captured: not the team's (a setting this laptop keeps to itself)
      const t0 = mostCommon([...stamps.values()]);
      const c: SnapshotRow['c'] = {};
      for (const column of t.columns) {
        const ts = stamps.get(column);
        if (ts === undefined) continue;
        const value = encodeCell(record[column]);
        c[column] = ts === t0 ? [value] : [value, ts];
      }
      rows.push({ r: key, t: t0, c });
    }
    tables[t.table] = rows;
  }
  // Rows still waiting for a parent or a newer Pelote travel too: nothing held here is lost by compaction.
  const pending = db.prepare('select timestamp, dataset, row, col, value from sync_pending order by dataset, row').all() as {
    timestamp: string;
    dataset: string;
    row: string;
    col: string;
    value: string;
  }[];
  for (const p of pending) (tables[p.dataset] ??= []).push({ r: p.row, t: p.timestamp, c: { [p.col]: [p.value] } });
  return { format: SNAPSHOT_FORMAT, schemaVersion, cursors, tables };
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  let best = values[0] ?? '';
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}

export function snapshotMessages(state: SnapshotState): SyncMessage[] {
  const messages: SyncMessage[] = [];
  for (const [dataset, rows] of Object.entries(state.tables)) {
    for (const { r, t, c } of rows) {
      for (const [column, [value, ts]] of Object.entries(c)) messages.push({ timestamp: ts ?? t, dataset, row: r, column, value });
    }
  }
  return messages;
}

/** Applies a snapshot in batches, each its own transaction (`write`); cursors are the caller's to record after. */
export function applySnapshot(db: Db, state: SnapshotState, write: (work: () => void) => void, batch = 50_000): void {
  const messages = snapshotMessages(state);
  for (let i = 0; i < messages.length; i += batch) write(() => void applyMessages(db, messages.slice(i, i + batch)));
}
