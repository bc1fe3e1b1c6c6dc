// A snapshot is the team's state compacted: every synced cell's winning timestamp and its value as this laptop holds
// it — after erasures, so an erased member's values are gone from it — plus, per device, the last segment it
// covers. Applying one is applying those cells as messages: the same last-writer-wins merge, so a laptop that already
// has part of it, or has changes of its own not in it, loses nothing.
// Encoded as lines of JSON (a header, then one row per line) so that a register of 100,000 members never has to be
// one string in memory, neither to write nor to read.
import type { Db } from '../../db/open';
import type { SyncMessage } from '../sync-message';
import { applyMessages } from './apply';
import { encodeCell } from './cell-value';
import { SYNCED_TABLES } from './synced-tables';

export const SNAPSHOT_FORMAT = 1;

export interface SnapshotHeader {
  format: number;
  schemaVersion: number;
  /** Per device, the last segment whose changes are in this snapshot. */
  cursors: Record<string, number>;
}

/** One row: [dataset, key, the timestamp most of its cells share, {column: [value] or [value, its own timestamp]}]. */
type SnapshotLine = [string, string, string, Record<string, [string] | [string, string]>];

const line = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');

/** This laptop's synced state; `cursors` must include its own last published segment. */
export function encodeSnapshot(db: Db, header: Omit<SnapshotHeader, 'format'>): Buffer {
  const chunks: Buffer[] = [line({ format: SNAPSHOT_FORMAT, ...header })];
  const cellsOf = db.prepare('select row, col, timestamp from sync_cells where dataset = ?');
  for (const t of SYNCED_TABLES) {
    const cells = new Map<string, Map<string, string>>();
    for (const cell of cellsOf.iterate(t.table) as Iterable<{ row: string; col: string; timestamp: string }>) {
      let row = cells.get(cell.row);
      if (!row) cells.set(cell.row, (row = new Map<string, string>()));
      row.set(cell.col, cell.timestamp);
    }
    const select = db.prepare(`select ${[t.key, ...t.columns].join(', ')} from ${t.table}`);
    for (const record of select.iterate() as Iterable<Record<string, unknown>>) {
      const key = String(record[t.key]);
      const stamps = cells.get(key);
      if (!stamps) continue; // never captured: not the team's (a setting this laptop keeps to itself)
      const shared = mostCommon([...stamps.values()]);
      const c: SnapshotLine[3] = {};
      for (const column of t.columns) {
        const ts = stamps.get(column);
        if (ts === undefined) continue;
        const value = encodeCell(record[column]);
        c[column] = ts === shared ? [value] : [value, ts];
      }
      chunks.push(line([t.table, key, shared, c] satisfies SnapshotLine));
    }
  }
  // Rows still waiting for a parent or a newer Pelote travel too: nothing held here is lost by compaction.
  for (const p of db.prepare('select timestamp, dataset, row, col, value from sync_pending').iterate() as Iterable<{
    timestamp: string;
    dataset: string;
    row: string;
    col: string;
    value: string;
  }>) {
    chunks.push(line([p.dataset, p.row, p.timestamp, { [p.col]: [p.value] }] satisfies SnapshotLine));
  }
  return Buffer.concat(chunks);
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

function* lines(bytes: Buffer): Generator<string> {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    yield bytes.toString('utf8', start, end);
    start = end + 1;
  }
}

export function snapshotHeader(bytes: Buffer): SnapshotHeader {
  const first = lines(bytes).next();
  return JSON.parse(first.done ? '{}' : first.value) as SnapshotHeader;
}

function* snapshotMessages(bytes: Buffer): Generator<SyncMessage> {
  const all = lines(bytes);
  all.next(); // the header
  for (const text of all) {
    const [dataset, row, shared, c] = JSON.parse(text) as SnapshotLine;
    for (const [column, [value, ts]] of Object.entries(c)) yield { timestamp: ts ?? shared, dataset, row, column, value };
  }
}

/** Applies a snapshot in batches, each its own transaction (`write`); cursors are the caller's to record after. */
export function applySnapshot(db: Db, bytes: Buffer, write: (work: () => void) => void, batch = 50_000): void {
  let messages: SyncMessage[] = [];
  for (const message of snapshotMessages(bytes)) {
    messages.push(message);
    if (messages.length >= batch) {
      const slice = messages;
      write(() => void applyMessages(db, slice));
      messages = [];
    }
  }
  if (messages.length > 0) write(() => void applyMessages(db, messages));
}
