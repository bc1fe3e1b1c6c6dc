import { afterAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../../testing/temp-core';
import { SYNCED_TABLES } from './synced-tables';

// Every table and every column has been decided: shared with the team, or this laptop's own. A migration that adds
// either fails here until synced-tables.ts (or the list below) says which.
const LOCAL_TABLES = new Set([
  'schema_migrations',
  // This laptop's identity and its volunteer's name.
  'device',
  // The sync engine's own bookkeeping.
  'sync_team', 'sync_cells', 'sync_outbox', 'sync_pending', 'sync_peers',
  // Each laptop's own view of the servers: its last sweep, its check states, its measurements.
  'sweeps', 'check_states', 'metric_servers', 'metric_series', 'metric_raw', 'metric_5m', 'metric_1h',
  // This laptop's restic binary.
  'backup_settings',
  // Notification channels (migration 15): the alerting device's own, set up on it; their secrets never leave it.
  'channels',
]);

const core = tempCore();
afterAll(() => core.cleanup());

interface ColumnInfo {
  name: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

const columnsOf = (table: string): ColumnInfo[] => core.db.prepare(`select name, "notnull", dflt_value, pk from pragma_table_info(?)`).all(table) as ColumnInfo[];

describe('synced tables', () => {
  it('every table of the schema is synced or listed as this laptop’s own', () => {
    const tables = core.db
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`)
      .pluck()
      .all() as string[];
    const synced = new Set(SYNCED_TABLES.map((t) => t.table));
    expect(tables.filter((t) => !synced.has(t) && !LOCAL_TABLES.has(t))).toEqual([]);
    expect([...synced].filter((t) => LOCAL_TABLES.has(t))).toEqual([]);
    expect([...synced].filter((t) => !tables.includes(t))).toEqual([]);
  });

  it.each(SYNCED_TABLES.map((t) => [t.table, t] as const))('%s: every column is its key, synced or local, exactly once', (_name, t) => {
    const actual = columnsOf(t.table).map((c) => c.name).sort();
    const declared = [t.key, ...t.columns, ...t.local];
    expect(declared.sort()).toEqual(actual);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it.each(SYNCED_TABLES.map((t) => [t.table, t] as const))('%s: a row from another laptop can be written (local NOT NULL columns have a default)', (_name, t) => {
    const info = new Map(columnsOf(t.table).map((c) => [c.name, c]));
    const missing = t.local.filter((c) => info.get(c)?.notnull === 1 && info.get(c)?.dflt_value === null && t.localDefaults?.[c] === undefined);
    expect(missing).toEqual([]);
    for (const c of Object.keys(t.localDefaults ?? {})) expect(t.local, c).toContain(c);
  });

  it('never shares a secret or a local path', () => {
    const shared = SYNCED_TABLES.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`));
    for (const column of ['servers.key_path', 'servers.passphrase_source', 'servers.passphrase_sealed', 'servers.auth_kind', 'backup_repositories.password_source', 'backup_repositories.password_sealed']) {
      expect(shared).not.toContain(column);
    }
  });
});
