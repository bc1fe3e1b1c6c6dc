import { existsSync } from 'node:fs';
import { CoreError } from '../errors';
import type { Clock } from '../clock';
import { isoNow } from '../clock';
import type { Db } from './open';
import { createPrivateFile } from '../private-files';
import { writeTransaction } from './write-transaction';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds tables that others reference (SQLite's 12-step ALTER): foreign keys are off while it runs,
   * as SQLite requires, and every reference is checked before it commits.
   */
  rebuildsTables?: boolean;
}

export interface SchemaState {
  /** Highest applied version, 0 for a fresh file. */
  version: number;
  latest: number;
  pending: Migration[];
}

interface AppliedRow {
  version: number;
  name: string;
}

const LEDGER_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

function appliedMigrations(db: Db): AppliedRow[] {
  const hasLedger = db
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'schema_migrations'")
    .get();
  if (!hasLedger) return [];
  return db.prepare('select version, name from schema_migrations order by version').all() as AppliedRow[];
}

function hasUserTables(db: Db): boolean {
  return Boolean(
    db
      .prepare("select 1 from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'schema_migrations'")
      .get(),
  );
}

/**
 * Compares the file's recorded history with the code's. A history the code does not know (another app wrote it,
 * or a newer Pelote did) is refused rather than altered: migrating it could destroy data we do not understand.
 */
export function inspectSchema(db: Db, known: readonly Migration[]): SchemaState {
  const applied = appliedMigrations(db);
  const latest = known.at(-1)?.version ?? 0;
  if (applied.length === 0 && hasUserTables(db)) {
    throw new CoreError('db_unknown_history', 'The database has tables but no Pelote migration history.');
  }
  for (const row of applied) {
    const match = known.find((m) => m.version === row.version);
    if (row.version > latest) {
      throw new CoreError('db_newer_than_app', `The database schema (version ${row.version}) is newer than this Pelote (version ${latest}).`, {
        version: row.version,
        latest,
      });
    }
    if (!match || match.name !== row.name) {
      throw new CoreError('db_unknown_history', `The database records a migration this Pelote does not know: ${row.version} ${row.name}.`, {
        version: row.version,
        name: row.name,
      });
    }
  }
  const version = applied.at(-1)?.version ?? 0;
  if (applied.length !== version) {
    throw new CoreError('db_unknown_history', 'The database migration history has gaps.', { version });
  }
  return { version, latest, pending: known.filter((m) => m.version > version) };
}

/**
 * Applies pending migrations, each in its own transaction with its ledger row. An existing database is first copied
 * aside as `<file>.v<version>.bak` so a failed or regretted upgrade never loses the treasurer's records.
 */
export function migrate(db: Db, known: readonly Migration[], clock: Clock, dbPath: string): SchemaState & { backupPath: string | null } {
  const state = inspectSchema(db, known);
  if (state.pending.length === 0) return { ...state, backupPath: null };

  let backupPath: string | null = null;
  if (state.version > 0) {
    const base = `${dbPath}.v${state.version}.bak`;
    // Never overwrite an earlier copy: it may be the only good one.
    backupPath = existsSync(base) ? `${base}.${isoNow(clock).replace(/[:.]/g, '-')}` : base;
    createPrivateFile(backupPath);
    db.prepare('VACUUM INTO ?').run(backupPath);
  }

  db.exec(LEDGER_SQL);
  const record = db.prepare('insert into schema_migrations (version, name, applied_at) values (?, ?, ?)');
  for (const migration of state.pending) {
    // foreign_keys can only change outside a transaction.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      writeTransaction(db, () => {
        db.exec(migration.sql);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new CoreError('db_migration_failed', `Migration ${migration.version} ${migration.name} would break references.`, { version: migration.version });
        }
        record.run(migration.version, migration.name, isoNow(clock));
      });
    } finally {
      if (migration.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
  return { version: state.latest, latest: state.latest, pending: [], backupPath };
}
