// Applying messages from the team: per cell, the latest timestamp wins; the same messages in any order, any number
// of times, leave the same tables. A row is written from the winning value of each of its cells. A row that cannot
// exist yet (its member has not arrived, or a newer Pelote added a table or column) waits in sync_pending, whole,
// and is tried again after every batch: nothing is dropped, nothing is applied half.
import type { Db } from '../../db/open';
import type { SyncMessage } from '../sync-message';
import { decodeCell, type CellValue } from './cell-value';
import { captureClock, whileApplying } from './capture';
import { enforceErasures } from './erasure';
import { syncedTable, type SyncedTable } from './synced-tables';

export type { SyncMessage };

export interface Applied {
  /** Messages that changed a cell (new and newer than what the cell held). */
  won: number;
  /** Rows written, per table: what the faces must refresh. */
  rows: Map<string, Set<string>>;
  /** Rows still waiting for a parent or for a newer Pelote. */
  waiting: number;
}

type Winners = Map<string, Map<string, Map<string, { timestamp: string; value: string }>>>;

/** Must run inside a write transaction; the caller records how far it has read in the same one. */
export function applyMessages(db: Db, messages: readonly SyncMessage[]): Applied {
  const clock = captureClock(db);
  if (!clock) throw new Error('applying messages outside a team');
  return whileApplying(db, () => {
    const sorted = [...messages].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    const cellTime = db.prepare('select timestamp from sync_cells where dataset = ? and row = ? and col = ?').pluck();
    const setCell = db.prepare(
      `insert into sync_cells (dataset, row, col, timestamp) values (?, ?, ?, ?)
       on conflict (dataset, row, col) do update set timestamp = excluded.timestamp`,
    );
    // Per row, the winning message of each cell (sorted: a later one replaces an earlier one).
    const winners: Winners = new Map();
    const won: string[] = [];
    for (const m of sorted) {
      clock.recv(m.timestamp);
      const held = cellTime.get(m.dataset, m.row, m.column) as string | undefined;
      if (held !== undefined && held >= m.timestamp) continue;
      setCell.run(m.dataset, m.row, m.column, m.timestamp);
      won.push(m.timestamp);
      let rows = winners.get(m.dataset);
      if (!rows) winners.set(m.dataset, (rows = new Map<string, Map<string, { timestamp: string; value: string }>>()));
      let cells = rows.get(m.row);
      if (!cells) rows.set(m.row, (cells = new Map<string, { timestamp: string; value: string }>()));
      cells.set(m.column, { timestamp: m.timestamp, value: m.value });
    }
    clock.hash(won);
    const rows = writeWinners(db, winners);
    enforceErasures(db, rows);
    db.prepare('update sync_team set clock = ?, merkle = ?').run(clock.last(), JSON.stringify(clock.trie()));
    return { won: won.length, rows, waiting: db.prepare('select count(distinct dataset || char(0) || row) from sync_pending').pluck().get() as number };
  });
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
function writeWinners(db: Db, winners: Winners): Map<string, Set<string>> {
  const park = db.prepare('insert or ignore into sync_pending (timestamp, dataset, row, col, value) values (?, ?, ?, ?, ?)');
  const waits = db.prepare('select 1 from sync_pending where dataset = ? and row = ? limit 1');
  const written = new Map<string, Set<string>>();
  for (const [dataset, rows] of winners) {
    const table = syncedTable(dataset);
    for (const [row, cells] of rows) {
      const known = table ? [...cells].filter(([column]) => table.columns.includes(column)) : [];
      const direct = table !== undefined && known.length > 0 && waits.get(dataset, row) === undefined;
      const landed = direct && writeValues(db, table, row, new Map(known.map(([c, m]) => [c, decodeCell(m.value)])));
      for (const [column, m] of cells) {
        // A column this version does not know (a newer Pelote wrote it) always waits, kept for the update.
        if (!landed || !table.columns.includes(column)) park.run(m.timestamp, dataset, row, column, m.value);
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

/** Updates the row, or inserts it; false when a constraint says it cannot exist yet (a missing parent, incomplete). */
function writeValues(db: Db, t: SyncedTable, row: string, values: Map<string, CellValue>): boolean {
  const exists = db.prepare(`select 1 from ${t.table} where ${t.key} = ?`).get(row) !== undefined;
  db.exec('SAVEPOINT sync_row');
  try {
    if (exists) {
      const columns = [...values.keys()];
      db.prepare(`update ${t.table} set ${columns.map((c) => `${c} = ?`).join(', ')} where ${t.key} = ?`).run(...columns.map((c) => values.get(c)), row);
    } else {
      const local = Object.entries(t.localDefaults ?? {}).map(([c, make]) => [c, make()] as const);
      const columns = [t.key, ...values.keys(), ...local.map(([c]) => c)];
      db.prepare(`insert into ${t.table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(
        row,
        ...values.values(),
        ...local.map(([, v]) => v),
      );
    }
    db.exec('RELEASE sync_row');
    return true;
  } catch (error) {
    db.exec('ROLLBACK TO sync_row');
    db.exec('RELEASE sync_row');
    // Constraint failures wait; anything else is a bug to surface.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) return false;
    throw error;
  }
}
