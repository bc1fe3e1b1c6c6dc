// Applying messages from the team: per cell, the latest timestamp wins; the same messages in any order, any number
// of times, leave the same tables. A row is written from the winning value of each of its cells. A row that cannot
// exist yet (its member has not arrived, or a newer Pelote added a table or column) waits in sync_pending, whole,
// and is tried again after every batch: nothing is dropped, nothing is applied half.
// Work is done a row at a time, not a cell at a time: a row's held timestamps are one read and one write of
// sync_cells (see cell-stamps.ts), and its winning cells one INSERT or UPDATE of the table.
import type { Db } from '../../db/open';
import { CoreError } from '../../errors';
import type { SyncMessage } from '../sync-message';
import { decodeCell, type CellValue } from './cell-value';
import { decodeStamps, encodeStamps } from './cell-stamps';
import { captureClock, whileApplying } from './capture';
import { enforceErasures } from './erasure';
import { SYNCED_TABLES, syncedTable, type SyncedTable } from './synced-tables';

export type { SyncMessage };

export interface Applied {
  /** Cells changed (a message newer than what the cell held; of several for one cell in a batch, the newest). */
  won: number;
  /** Rows written, per table: what the faces must refresh. */
  rows: Map<string, Set<string>>;
  /** Rows still waiting for a parent or for a newer Pelote. */
  waiting: number;
}

export interface Cell {
  timestamp: string;
  value: string;
}

/** Incoming cells, grouped: dataset → row → column → the newest cell. */
export class IncomingRows {
  readonly datasets = new Map<string, Map<string, Map<string, Cell>>>();
  cells = 0;
  newest = '';

  add(dataset: string, row: string, column: string, cell: Cell): void {
    // Every timestamp is compared as a string, hashed and abbreviated (cell-stamps.ts): only Actual's canonical form.
    if (!TIMESTAMP.test(cell.timestamp)) throw new CoreError('sync_bad_message', `Not a timestamp: ${cell.timestamp.slice(0, 50)}`);
    let rows = this.datasets.get(dataset);
    if (!rows) this.datasets.set(dataset, (rows = new Map<string, Map<string, Cell>>()));
    let cells = rows.get(row);
    if (!cells) rows.set(row, (cells = new Map<string, Cell>()));
    const had = cells.get(column);
    if (had === undefined) this.cells += 1;
    if (had === undefined || had.timestamp < cell.timestamp) cells.set(column, cell);
    if (cell.timestamp > this.newest) this.newest = cell.timestamp;
  }
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[0-9A-F]{4}-[0-9a-f]{16}$/;

/** Must run inside a write transaction; the caller records how far it has read in the same one. */
export function applyMessages(db: Db, messages: readonly SyncMessage[]): Applied {
  const incoming = new IncomingRows();
  // Oldest first: new rows are inserted in the order they were made, whatever order the messages came in, so every
  // laptop's rowids (which break ties between equal times, an incident's events) agree.
  const sorted = [...messages].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  for (const m of sorted) incoming.add(m.dataset, m.row, m.column, { timestamp: m.timestamp, value: m.value });
  return applyRows(db, incoming);
}

type Winners = Map<string, Map<string, Map<string, Cell>>>;

/** The same, for cells already grouped by row (a snapshot carries them so). Must run inside a write transaction. */
export function applyRows(db: Db, incoming: IncomingRows): Applied {
  const clock = captureClock(db);
  if (!clock) throw new Error('applying messages outside a team');
  return whileApplying(db, () => {
    // The clock only has to pass the newest: the others are behind it.
    if (incoming.newest !== '') clock.recv(incoming.newest);
    const held = db.prepare('select base, cells from sync_cells where dataset = ? and row = ?');
    const hold = db.prepare(
      'insert into sync_cells (dataset, row, base, cells) values (?, ?, ?, ?) on conflict (dataset, row) do update set base = excluded.base, cells = excluded.cells',
    );
    const winners: Winners = new Map();
    const won: string[] = [];
    for (const [dataset, rows] of parentsFirst(incoming)) {
      const winning = new Map<string, Map<string, Cell>>();
      for (const [row, cells] of rows) {
        const stored = held.get(dataset, row) as { base: string; cells: string } | undefined;
        const stamps = stored ? decodeStamps(stored.base, stored.cells) : new Map<string, string>();
        const newer = new Map<string, Cell>();
        for (const [column, cell] of cells) {
          const ts = stamps.get(column);
          if (ts !== undefined && ts >= cell.timestamp) continue;
          stamps.set(column, cell.timestamp);
          newer.set(column, cell);
          won.push(cell.timestamp);
        }
        if (newer.size === 0) continue;
        const { base, cells: encoded } = encodeStamps(stamps);
        hold.run(dataset, row, base, encoded);
        winning.set(row, newer);
      }
      if (winning.size > 0) winners.set(dataset, winning);
    }
    clock.hash(won);
    const rows = writeWinners(db, winners);
    // Nothing to blank while no member is erased (a join of a register: two lookups per payment saved).
    if (db.prepare('select 1 from members where erased_at is not null limit 1').get() !== undefined) enforceErasures(db, rows);
    db.prepare('update sync_team set clock = ?, merkle = ?').run(clock.last(), JSON.stringify(clock.trie()));
    return { won: won.length, rows, waiting: db.prepare('select count(distinct dataset || char(0) || row) from sync_pending').pluck().get() as number };
  });
}

/** Known tables in their declared order (a member before its payments), then datasets this version does not know. */
function parentsFirst(incoming: IncomingRows): [string, Map<string, Map<string, Cell>>][] {
  const known = SYNCED_TABLES.flatMap((t) => {
    const rows = incoming.datasets.get(t.table);
    return rows ? [[t.table, rows] as [string, Map<string, Map<string, Cell>>]] : [];
  });
  return [...known, ...[...incoming.datasets].filter(([dataset]) => !syncedTable(dataset))];
}

const mark = (written: Map<string, Set<string>>, dataset: string, row: string): void => {
  let set = written.get(dataset);
  if (!set) written.set(dataset, (set = new Set()));
  set.add(row);
};

/**
 * Each row straight from its winning cells when nothing of it waits already (the common case: no pending row to
 * read back); otherwise, or when it cannot land yet, its cells wait in sync_pending. Then, if anything landed, what
 * waits is tried again until a pass makes no progress (a payment that arrived before its member).
 */
const columnSets = new WeakMap<SyncedTable, Set<string>>();
const knows = (t: SyncedTable, column: string): boolean => {
  let set = columnSets.get(t);
  if (!set) columnSets.set(t, (set = new Set(t.columns)));
  return set.has(column);
};

function writeWinners(db: Db, winners: Winners): Map<string, Set<string>> {
  const park = db.prepare('insert or ignore into sync_pending (timestamp, dataset, row, col, value) values (?, ?, ?, ?, ?)');
  const waits = db.prepare('select 1 from sync_pending where dataset = ? and row = ? limit 1');
  const anyWaits = db.prepare('select 1 from sync_pending limit 1').get() !== undefined;
  const written = new Map<string, Set<string>>();
  for (const [dataset, rows] of winners) {
    const table = syncedTable(dataset);
    for (const [row, cells] of rows) {
      const known = table ? [...cells].filter(([column]) => knows(table, column)) : [];
      const direct = table !== undefined && known.length > 0 && !(anyWaits && waits.get(dataset, row) !== undefined);
      const landed = direct && writeValues(db, table, row, new Map(known.map(([c, m]) => [c, decodeCell(m.value)])));
      for (const [column, m] of cells) {
        // A column this version does not know (a newer Pelote wrote it) always waits, kept for the update.
        if (!landed || !knows(table, column)) park.run(m.timestamp, dataset, row, column, m.value);
      }
      if (landed) mark(written, dataset, row);
      else if (table && !direct && known.length > 0 && writeRow(db, table, row)) mark(written, dataset, row);
    }
  }
  if (written.size === 0) return written;
  for (;;) {
    let progress = false;
    for (const { dataset, row } of db.prepare('select distinct dataset, row from sync_pending').all() as { dataset: string; row: string }[]) {
      const table = syncedTable(dataset);
      if (table && writeRow(db, table, row)) {
        progress = true;
        mark(written, dataset, row);
      }
    }
    if (!progress) return written;
  }
}

/** A waiting row from its pending cells, newest per column; the cells that land leave sync_pending. */
function writeRow(db: Db, t: SyncedTable, row: string): boolean {
  const cells = db
    .prepare(
      `select col, value from sync_pending p where dataset = ? and row = ?
         and timestamp = (select max(timestamp) from sync_pending q where q.dataset = p.dataset and q.row = p.row and q.col = p.col)`,
    )
    .all(t.table, row) as { col: string; value: string }[];
  const known = cells.filter((c) => t.columns.includes(c.col));
  if (known.length === 0 || !writeValues(db, t, row, new Map(known.map((c) => [c.col, decodeCell(c.value)])))) return false;
  const landed = db.prepare('delete from sync_pending where dataset = ? and row = ? and col = ?');
  for (const c of known) landed.run(t.table, row, c.col);
  return true;
}

/**
 * Updates the row, or inserts it; false when a constraint says it cannot exist yet (a missing parent, incomplete).
 * A failing statement leaves nothing behind (SQLite undoes the statement, its triggers included), so no savepoint.
 */
function writeValues(db: Db, t: SyncedTable, row: string, values: Map<string, CellValue>): boolean {
  const exists = db.prepare(`select 1 from ${t.table} where ${t.key} = ?`).get(row) !== undefined;
  try {
    if (exists) {
      const columns = [...values.keys()];
      db.prepare(`update ${t.table} set ${columns.map((c) => `${c} = ?`).join(', ')} where ${t.key} = ?`).run(...values.values(), row);
    } else {
      const local = Object.entries(t.localDefaults ?? {}).map(([c, make]) => [c, make()] as const);
      const columns = [t.key, ...values.keys(), ...local.map(([c]) => c)];
      db.prepare(`insert into ${t.table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(
        row,
        ...values.values(),
        ...local.map(([, v]) => v),
      );
    }
    return true;
  } catch (error) {
    // Constraint failures wait; anything else is a bug to surface.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) return false;
    throw error;
  }
}
