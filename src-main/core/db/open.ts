import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CoreError } from '../errors';
import { registerCaptureFunctions } from '../sync/engine/capture';
import { BUSY_TIMEOUT_MS } from './write-transaction';

export type Db = Database.Database;

/** One SQLite file per data directory: WAL for a responsive UI while the CLI writes, foreign keys enforced. */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    // 64 MiB of page cache: 100,000 members and their ledger stay in memory instead of being re-read per query.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
    cachePreparedStatements(db);
    // Every connection can run the sync capture triggers (they stay silent until this laptop joins a team).
    registerCaptureFunctions(db);
    // Touch the schema now so a file that is not SQLite fails here, with a clear code, not on first use.
    db.prepare('select count(*) from sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    throw new CoreError('db_unreadable', `Cannot open ${path} as a Pelote database: ${(error as Error).message}`, { path });
  }
}

export const sqliteVersion = (db: Db): string =>
  (db.prepare('select sqlite_version() as v').get() as { v: string }).v;

/**
 * Compiling SQL costs more than running it for the small queries Pelote makes (an import runs each a few thousand
 * times): every `db.prepare(sql)` returns one statement per SQL text, compiled once, with its read mode reset so a
 * `.pluck()` by one caller never leaks into the next.
 */
function cachePreparedStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = compile(sql);
      cache.set(sql, statement);
    } else if (statement.reader) {
      statement.pluck(false).expand(false).raw(false);
    }
    return statement;
  }) as Db['prepare'];
}
