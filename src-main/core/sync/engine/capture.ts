// Changes are captured in one place: triggers on every synced table write each changed column to the outbox, in the
// transaction of the change itself, so nothing is ever half-recorded and no service has to remember to sync. The
// triggers call functions registered on every connection; while remote messages are applied, they stay silent.
import type { Db } from '../../db/open';
import { encodeCell } from './cell-value';
import { sqlStamp } from './cell-stamps';
import type { DeviceClock } from './device-clock';
import { SYNCED_TABLES, type SyncedTable } from './synced-tables';

interface CaptureState {
  clock: DeviceClock | null;
  applying: boolean;
}

const states = new WeakMap<Db, CaptureState>();

const stateOf = (db: Db): CaptureState => {
  let state = states.get(db);
  if (!state) {
    state = { clock: null, applying: false };
    states.set(db, state);
  }
  return state;
};

/** On every connection (openDatabase): without a team, capture is off and the triggers write nothing. */
export function registerCaptureFunctions(db: Db): void {
  const state = stateOf(db);
  const clock = (): DeviceClock => {
    if (!state.clock) throw new Error('sync capture without a clock');
    return state.clock;
  };
  db.function('pelote_sync_capture', { deterministic: false }, () => (state.clock !== null && !state.applying ? 1 : 0));
  db.function('pelote_sync_stamp', { deterministic: false }, (persisted: unknown) => clock().send(typeof persisted === 'string' ? persisted : null));
  db.function('pelote_sync_value', { deterministic: true }, (value: unknown) => encodeCell(value));
  db.function('pelote_sync_clock', { deterministic: false }, () => clock().last());
}

/** Turns capture on (this laptop is in a team) or off. */
export function setCaptureClock(db: Db, clock: DeviceClock | null): void {
  stateOf(db).clock = clock;
}

export const captureClock = (db: Db): DeviceClock | null => stateOf(db).clock;

/** Runs `work` with capture silenced: writes that come from the team must not be sent back to it. */
export function whileApplying<T>(db: Db, work: () => T): T {
  const state = stateOf(db);
  state.applying = true;
  try {
    return work();
  } finally {
    state.applying = false;
  }
}

// The other processes of this laptop (the app and cron) share its node: each stamp starts past the last one stored.
const STAMP = 'pelote_sync_stamp((SELECT clock FROM sync_team))';
const SAVE_CLOCK = 'UPDATE sync_team SET clock = pelote_sync_clock();';

const outboxRow = (t: SyncedTable, column: string, ref: string) => `${STAMP}, '${t.table}', ${ref}.${t.key}, '${column}', pelote_sync_value(${ref}.${column})`;

function triggersOf(t: SyncedTable): Record<string, string> {
  const when = `pelote_sync_capture()${t.when ? ` AND ${t.when}` : ''}`;
  const insert = `CREATE TRIGGER sync_capture_${t.table}_insert AFTER INSERT ON ${t.table} WHEN ${when} BEGIN
  INSERT INTO sync_outbox (timestamp, dataset, row, col, value) VALUES
    ${t.columns.map((c) => `(${outboxRow(t, c, 'NEW')})`).join(',\n    ')};
  ${SAVE_CLOCK}
END`;
  // A row that starts to match `when` (a backup run once it has finished) is shared whole, like an insert.
  const changed = (c: string) => (t.when ? `NEW.${c} IS NOT OLD.${c} OR NOT coalesce(${t.when.replaceAll('NEW.', 'OLD.')}, 0)` : `NEW.${c} IS NOT OLD.${c}`);
  const update = `CREATE TRIGGER sync_capture_${t.table}_update AFTER UPDATE ON ${t.table} WHEN ${when} BEGIN
  ${t.columns.map((c) => `INSERT INTO sync_outbox (timestamp, dataset, row, col, value) SELECT ${outboxRow(t, c, 'NEW')} WHERE ${changed(c)};`).join('\n  ')}
  ${SAVE_CLOCK}
END`;
  return { [`sync_capture_${t.table}_insert`]: insert, [`sync_capture_${t.table}_update`]: update };
}

const TRIGGERS: Record<string, string> = {
  // A local write wins its cell: the outbox row's timestamp becomes the cell's (encoded as cell-stamps.ts says).
  sync_outbox_cells: `CREATE TRIGGER sync_outbox_cells AFTER INSERT ON sync_outbox BEGIN
  INSERT INTO sync_cells (dataset, row, base, cells) VALUES (NEW.dataset, NEW.row, NEW.timestamp, json_object(NEW.col, substr(NEW.timestamp, 26, 4)))
    ON CONFLICT (dataset, row) DO UPDATE SET cells = json_set(cells, '$.' || NEW.col, ${sqlStamp('NEW.timestamp', 'base')});
END`,
  ...(Object.assign({}, ...SYNCED_TABLES.map(triggersOf)) as Record<string, string>),
};

/**
 * Creates or refreshes the capture triggers when they differ from this version's (a migration added a column, or a
 * table started to sync); true when it did.
 */
export function installCaptureTriggers(db: Db, write: (work: () => void) => void): boolean {
  const current = new Map(
    (db.prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'sync\\_%' escape '\\'`).all() as { name: string; sql: string }[]).map(
      (r) => [r.name, r.sql],
    ),
  );
  const stale = Object.entries(TRIGGERS).filter(([name, sql]) => current.get(name) !== sql);
  const gone = [...current.keys()].filter((name) => !(name in TRIGGERS));
  if (stale.length === 0 && gone.length === 0) return false;
  write(() => {
    for (const name of [...gone, ...stale.map(([n]) => n)]) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    for (const [, sql] of stale) db.exec(sql);
  });
  return true;
}

/**
 * Existing rows of the synced tables as messages: everything a laptop holds when it creates a team; when it joins,
 * only the rows the team does not have ('unknown'), so a newcomer's defaults never override the team's values.
 */
export function captureExistingRows(db: Db, rows: 'all' | 'unknown'): void {
  for (const t of SYNCED_TABLES) {
    // Row by row, all its columns together: a row then lands whole in one segment, parents (earlier tables) first.
    const columns = t.columns.map((c) => `SELECT '${c}' AS col, '"${c}":' AS held`).join(' UNION ALL ');
    const value = `CASE c.col ${t.columns.map((c) => `WHEN '${c}' THEN pelote_sync_value(t.${c})`).join(' ')} END`;
    const conditions = [
      ...(t.when ? [t.when.replaceAll('NEW.', 't.')] : []),
      // A joining laptop's rows that the team already has keep the team's values. A held cell is its column's key
      // in the row's JSON (cell-stamps.ts): looked for as text, far cheaper than parsing the JSON per cell. Rows
      // holding every column in the usual order (all of them, just after a join) are passed over in one GLOB,
      // before meeting the columns; any other row is checked column by column.
      ...(rows === 'unknown'
        ? [`(s.cells IS NULL OR NOT s.cells GLOB '*${t.columns.map((c) => `"${c}":`).join('*')}*')`, `(s.cells IS NULL OR instr(s.cells, c.held) = 0)`]
        : []),
    ];
    const held = rows === 'unknown' ? `LEFT JOIN sync_cells s ON s.dataset = '${t.table}' AND s.row = t.${t.key}` : '';
    db.prepare(
      `INSERT INTO sync_outbox (timestamp, dataset, row, col, value)
       SELECT ${STAMP}, '${t.table}', k, col, v FROM (
         SELECT t.${t.key} AS k, c.col AS col, ${value} AS v FROM ${t.table} t ${held} CROSS JOIN (${columns}) c
         ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY t.rowid
       )`,
    ).run();
  }
  db.prepare(SAVE_CLOCK).run();
}
