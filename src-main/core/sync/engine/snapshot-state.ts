// A snapshot is the team's state compacted: every synced cell's winning timestamp and its value as this laptop holds
// it — after erasures, so an erased member's values are gone from it — plus, per device, the last segment it
// covers. Applying one is applying those cells as messages: the same last-writer-wins merge, so a laptop that already
// has part of it, or has changes of its own not in it, loses nothing.
// Encoded as lines of JSON (a header, then one row per line) so that a register of 100,000 members never has to be
// one string in memory, neither to write nor to read.
import type { Db } from '../../db/open';
import { applyRows, IncomingRows } from './apply';
import { decodeStamps } from './cell-stamps';
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

// Result names no synced column can have.
const BASE = 'sync base';
const CELLS = 'sync cells';

const line = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');

/** This laptop's synced state; `cursors` must include its own last published segment. */
export function encodeSnapshot(db: Db, header: Omit<SnapshotHeader, 'format'>): Buffer {
  const chunks: Buffer[] = [line({ format: SNAPSHOT_FORMAT, ...header })];
  for (const t of SYNCED_TABLES) {
    // Only rows with held cells: a row never captured is not the team's (a setting this laptop keeps to itself).
    // In the order they were written here (CROSS JOIN keeps the table outermost): a reversal after its payment, so
    // a laptop applying the snapshot never holds a row back for a parent further down.
    const select = db.prepare(
      `select s.base as "${BASE}", s.cells as "${CELLS}", ${[t.key, ...t.columns].map((c) => `t.${c}`).join(', ')}
       from ${t.table} t cross join sync_cells s on s.dataset = ? and s.row = t.${t.key} order by t.rowid`,
    );
    for (const record of select.iterate(t.table) as Iterable<Record<string, unknown>>) {
      const stamps = decodeStamps(record[BASE] as string, record[CELLS] as string);
      const shared = mostCommon([...stamps.values()]);
      const c: SnapshotLine[3] = {};
      for (const column of t.columns) {
        const ts = stamps.get(column);
        if (ts === undefined) continue;
        const value = encodeCell(record[column]);
        c[column] = ts === shared ? [value] : [value, ts];
      }
      chunks.push(line([t.table, String(record[t.key]), shared, c] satisfies SnapshotLine));
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

/** Applies a snapshot a few rows at a time (`batch` cells), each its own transaction (`write`); cursors are the caller's to record after. */
export function applySnapshot(db: Db, bytes: Buffer, write: (work: () => void) => void, batch = 1_000_000): void {
  // A bulk load whose rows reach every index (and sync_cells) in random key order: with the usual 64 MiB of page
  // cache, a register of 100,000 members re-reads most pages from the file for each row. A larger cache for the time
  // of it, given back after.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${SNAPSHOT_CACHE_SIZE}`);
  try {
    const all = lines(bytes);
    all.next(); // the header
    let rows = new IncomingRows();
    for (const text of all) {
      const [dataset, row, shared, c] = JSON.parse(text) as SnapshotLine;
      for (const [column, [value, ts]] of Object.entries(c)) rows.add(dataset, row, column, { timestamp: ts ?? shared, value });
      if (rows.cells >= batch) {
        const full = rows;
        write(() => void applyRows(db, full));
        rows = new IncomingRows();
      }
    }
    if (rows.cells > 0) write(() => void applyRows(db, rows));
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** 512 MiB (negative: KiB): the tables, indexes and cells of 100,000 members and 500,000 payments. */
const SNAPSHOT_CACHE_SIZE = -524_288;
