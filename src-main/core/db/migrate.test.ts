import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, tempDataDir } from '../../testing/temp-core';
import { CoreError } from '../errors';
import { dbPathIn } from '../paths';
import type { Migration } from './migrate';
import { inspectSchema, migrate } from './migrate';
import { migrations } from './migrations';
import { openDatabase } from './open';

const clock = fixedClock('2026-11-23T10:00:00.000Z');
const LATEST = migrations.at(-1)?.version ?? 0;
const extra: Migration = { version: LATEST + 1, name: 'notes', sql: 'CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT;' };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function freshPath(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return dbPathIn(dir);
}

function refusal(run: () => unknown): CoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('migrations', () => {
  it('creates every table STRICT and records each migration on a fresh file, without a .bak', () => {
    const path = freshPath();
    const db = openDatabase(path);
    const result = migrate(db, migrations, clock, path);
    expect(result.version).toBe(migrations.at(-1)?.version);
    expect(result.backupPath).toBeNull();
    const tables = db.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_log', 'device', 'schema_migrations', 'settings', 'members', 'payments']));
    for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT(?:,\s*WITHOUT ROWID)?$/);
    expect(db.prepare('select version, name, applied_at as at from schema_migrations').all()).toEqual(
      migrations.map((m) => ({ version: m.version, name: m.name, at: '2026-11-23T10:00:00.000Z' })),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    expect(readdirSync(path.replace(/[^/]+$/, '')).some((f) => f.endsWith('.bak'))).toBe(false);
  });

  it('is idempotent: a second run applies nothing', () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db, migrations, clock, path);
    const again = migrate(db, migrations, clock, path);
    expect(again.backupPath).toBeNull();
    expect(db.prepare('select count(*) from schema_migrations').pluck().get()).toBe(migrations.length);
    db.close();
  });

  it('copies an existing database aside, named with its schema version, before migrating it', () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db, migrations, clock, path);
    db.prepare("insert into settings (id, key, value, created_at, updated_at) values ('s1', 'associationName', '\"Les Chatons\"', 'x', 'x')").run();

    const result = migrate(db, [...migrations, extra], clock, path);
    expect(result.version).toBe(LATEST + 1);
    expect(result.backupPath).toBe(`${path}.v${LATEST}.bak`);
    expect(existsSync(`${path}.v${LATEST}.bak`)).toBe(true);
    db.close();

    const copy = openDatabase(`${path}.v${LATEST}.bak`, { readonly: true });
    expect(inspectSchema(copy, migrations).version).toBe(LATEST);
    expect(copy.prepare("select value from settings where key = 'associationName'").pluck().get()).toBe('"Les Chatons"');
    expect(copy.prepare("select 1 from sqlite_master where name = 'notes'").get()).toBeUndefined();
    copy.close();
  });

  it('rolls back a failing migration entirely, leaving the previous version intact', () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db, migrations, clock, path);
    const broken: Migration = { version: LATEST + 1, name: 'broken', sql: 'CREATE TABLE half (id TEXT) STRICT; INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, [...migrations, broken], clock, path)).toThrow();
    expect(inspectSchema(db, migrations).version).toBe(LATEST);
    expect(db.prepare("select 1 from sqlite_master where name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer Pelote and leaves it untouched', () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db, [...migrations, extra], clock, path);
    const error = refusal(() => migrate(db, migrations, clock, path));
    expect(error.code).toBe('db_newer_than_app');
    expect(db.prepare('select count(*) from schema_migrations').pluck().get()).toBe(LATEST + 1);
    db.close();
  });

  it('refuses a history this code does not know (same version, another name)', () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db, migrations, clock, path);
    db.prepare("update schema_migrations set name = 'someone-else' where version = 1").run();
    expect(refusal(() => migrate(db, migrations, clock, path)).code).toBe('db_unknown_history');
    db.close();
  });

  it("refuses a SQLite file that is not Pelote's, without adding tables to it", () => {
    const path = freshPath();
    const db = openDatabase(path);
    db.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)');
    expect(refusal(() => migrate(db, migrations, clock, path)).code).toBe('db_unknown_history');
    const tables = db.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    expect(tables).toEqual(['accounts']);
    db.close();
  });

  it('reports a file that is not SQLite at all with a clear code', () => {
    const path = freshPath();
    writeFileSync(path, 'this is a spreadsheet, not a database'.repeat(100));
    expect(refusal(() => openDatabase(path)).code).toBe('db_unreadable');
  });
});
