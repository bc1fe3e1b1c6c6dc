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
    const park = db.prepare('insert or ignore into sync_pending (timestamp, dataset, row, col, value) values (?, ?, ?, ?, ?)');
    const touched = new Map<string, Set<string>>();
    const won: string[] = [];
    for (const m of sorted) {
      clock.recv(m.timestamp);
      const held = cellTime.get(m.dataset, m.row, m.column) as string | undefined;
      if (held !== undefined && held >= m.timestamp) continue;
      setCell.run(m.dataset, m.row, m.column, m.timestamp);
      park.run(m.timestamp, m.dataset, m.row, m.column, m.value);
      won.push(m.timestamp);
      let rows = touched.get(m.dataset);
      if (!rows) touched.set(m.dataset, (rows = new Set()));
      rows.add(m.row);
    }
    clock.hash(won);
    const rows = settle(db, touched);
    enforceErasures(db, rows);
    db.prepare('update sync_team set clock = ?, merkle = ?').run(clock.last(), JSON.stringify(clock.trie()));
    return { won: won.length, rows, waiting: db.prepare('select count(distinct dataset || char(0) || row) from sync_pending').pluck().get() as number };
  });
}

/**
 * Writes every touched row from its pending cells, then retries what is still waiting until a pass makes no
 * progress (a payment that arrived before its member lands once the member has).
 */
function settle(db: Db, touched: Map<string, Set<string>>): Map<string, Set<string>> {
  const written = new Map<string, Set<string>>();
  let candidates = touched;
  for (;;) {
    let progress = false;
    for (const [dataset, rows] of candidates) {
      const table = syncedTable(dataset);
      if (!table) continue;
      for (const row of rows) {
        if (writeRow(db, table, row)) {
          progress = true;
          let set = written.get(dataset);
          if (!set) written.set(dataset, (set = new Set()));
          set.add(row);
        }
      }
    }
    if (!progress) return written;
    candidates = waitingRows(db);
  }
}

function waitingRows(db: Db): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const { dataset, row } of db.prepare('select distinct dataset, row from sync_pending').all() as { dataset: string; row: string }[]) {
    let set = result.get(dataset);
    if (!set) result.set(dataset, (set = new Set()));
    set.add(row);
  }
  return result;
}

/** The row's pending cells, newest per column, written over or into the table; false when it must keep waiting. */
function writeRow(db: Db, t: SyncedTable, row: string): boolean {
  const cells = db
    .prepare(
      `select col, value from sync_pending p where dataset = ? and row = ?
         and timestamp = (select max(timestamp) from sync_pending q where q.dataset = p.dataset and q.row = p.row and q.col = p.col)`,
    )
    .all(t.table, row) as { col: string; value: string }[];
  if (cells.length === 0) return false;
  // A column this version does not know: a newer Pelote wrote it; the row waits for the update.
  if (cells.some((c) => !t.columns.includes(c.col))) return false;
  const values = new Map<string, CellValue>(cells.map((c) => [c.col, decodeCell(c.value)]));
  const exists = db.prepare(`select 1 from ${t.table} where ${t.key} = ?`).get(row) !== undefined;
  const savepoint = 'sync_row';
  db.exec(`SAVEPOINT ${savepoint}`);
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
    db.prepare('delete from sync_pending where dataset = ? and row = ?').run(t.table, row);
    db.exec(`RELEASE ${savepoint}`);
    return true;
  } catch (error) {
    db.exec(`ROLLBACK TO ${savepoint}`);
    db.exec(`RELEASE ${savepoint}`);
    // Constraint failures (a missing parent, a row incomplete so far) wait; anything else is a bug to surface.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) return false;
    throw error;
  }
}
