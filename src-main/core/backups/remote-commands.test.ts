// The backup commands run for real on the sshd fixture's "server", with hostile names and hostile dumps: what a name
// or a restored dump can make the server's programs do.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseDump } from '../../contract';
import { startMariadb, type MariadbFixture } from '../../testing/mariadb';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { command, SshPool, type SshTarget } from '../ssh';
import { pinStore, targetOf } from '../ssh/testing/pool-fixtures';
import { chownTree, loginOwner, treeOf } from './backups-test-fixtures';
import { dumpCommand, loadDumpCommand } from './remote-commands';
import { verifyTree, type Expected } from './verify';

let mariadb: MariadbFixture;
let fixture: SshdFixture;
let pool: SshPool;
let target: SshTarget;

beforeAll(async () => {
  mariadb = await startMariadb();
  fixture = await startSshd({ env: mariadb.env });
  pool = new SshPool({ hostKeys: pinStore(fixture).policy, connectTimeoutMs: 5_000, execTimeoutMs: 30_000 });
  target = targetOf(fixture);
}, 60_000);

afterAll(async () => {
  await pool.closeAll();
  await fixture.stop();
  await mariadb.stop();
});

/** What the restore verifier expects of a tree, read from the tree itself. */
function expectedOf(dir: string, roots: string[]): Expected[] {
  return Object.entries(treeOf(dir))
    .filter(([path]) => roots.some((root) => path === root || path.startsWith(`${root}/`)))
    .map(([path, e]) => ({ path, type: e.type, size: e.size, mode: e.mode, mtime: e.mtime, linkTarget: e.link, sha256: e.sha256, meta: true }));
}

describe('restore verification', () => {
  it('walks roots named like find expressions (-delete, -exec, !) without running them', async () => {
    const dir = join(fixture.homeDir, 'restored');
    for (const root of ['-delete', '-exec', '!']) {
      mkdirSync(join(dir, root, 'sub'), { recursive: true });
      writeFileSync(join(dir, root, 'sub', 'index.php'), `<?php // ${root}\n`);
    }
    writeFileSync(join(dir, '-delete', '-newer'), 'a file named like an option\n');
    symlinkSync('sub/index.php', join(dir, '-exec', 'link'));
    writeFileSync(join(dir, 'kept.txt'), 'outside the roots\n');
    chownTree(dir, loginOwner(fixture));
    const before = treeOf(dir);

    for (const roots of [['-delete'], ['-exec', '!', '-delete']]) {
      const expected = expectedOf(dir, roots);
      expect(await verifyTree(pool, target, dir, roots, expected)).toEqual({ status: 'verified', checked: expected.length, mismatched: 0, missing: 0, problems: [] });
    }
    expect(treeOf(dir)).toEqual(before);
  });
});

describe('database dumps', () => {
  const mysql = (sql: string) => pool.exec(target, command('mysql', '--user=root', '--batch', '--skip-column-names', '-e', sql));

  it('never reads a database name as an option of the dump program', async () => {
    const planted = join(fixture.homeDir, 'planted.sql');
    // Past the contract on purpose (it refuses a leading '-'): the command itself must not depend on it.
    const dump: DatabaseDump = { kind: 'mysql', name: 'shop', database: `--result-file=${planted}`, user: 'root', runAs: null };
    const result = await pool.exec(target, dumpCommand(dump));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Unknown database '--result-file=/);
    expect(existsSync(planted)).toBe(false);
  });

  it("restores a MariaDB dump with the client's own commands disabled: a dump cannot run a shell", async () => {
    const spec: DatabaseDump = { kind: 'mysql', name: 'shop', database: 'shop', user: 'root', runAs: null };
    expect(await mysql("create database shop; create table shop.orders (id int primary key, item text); insert into shop.orders values (1, 'pelote'), (2, 'aiguilles');")).toMatchObject({ code: 0 });
    const dumped = await pool.exec(target, dumpCommand(spec));
    expect(dumped).toMatchObject({ code: 0 });
    await mysql('drop database shop');

    expect(await pool.exec(target, loadDumpCommand(spec), { stdin: dumped.stdout })).toMatchObject({ code: 0 });
    expect((await mysql('select id, item from shop.orders order by id')).stdout).toBe('1\tpelote\n2\taiguilles\n');

    const marker = join(fixture.homeDir, 'mysql-shell-ran');
    // Recent mysqldump output turns the sandbox on itself (its first line, `\-`): a forged dump leaves that out.
    const hostile = `use shop;\n\\! touch ${marker}\ninsert into shop.orders values (3, 'after');\n`;
    const loaded = await pool.exec(target, loadDumpCommand(spec), { stdin: hostile });
    expect(loaded.code).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect((await mysql('select count(*) from shop.orders')).stdout).toBe('2\n');
  });

  it('loads SQLite dumps in safe mode: a dot-command cannot run a shell', async () => {
    const source = join(fixture.homeDir, 'app.sqlite3');
    const db = new Database(source);
    db.exec("create table notes (id integer primary key, body text not null); insert into notes (body) values ('première'), ('seconde');");
    db.close();
    chownTree(source, loginOwner(fixture));
    const dumped = await pool.exec(target, dumpCommand({ kind: 'sqlite', name: 'app', path: source, runAs: null }));
    expect(dumped).toMatchObject({ code: 0 });

    const restored = join(fixture.homeDir, 'restored.sqlite3');
    const spec: DatabaseDump = { kind: 'sqlite', name: 'app', path: restored, runAs: null };
    expect(await pool.exec(target, loadDumpCommand(spec), { stdin: dumped.stdout })).toMatchObject({ code: 0 });
    const bodies = () => {
      const restoredDb = new Database(restored, { readonly: true });
      try {
        return restoredDb.prepare('select body from notes order by id').pluck().all();
      } finally {
        restoredDb.close();
      }
    };
    expect(bodies()).toEqual(['première', 'seconde']);

    const marker = join(fixture.homeDir, 'sqlite-shell-ran');
    for (const dot of ['.shell', '.system']) {
      const hostile = `${dumped.stdout.replace('seconde', 'remplacée')}${dot} touch ${marker}\n`;
      const loaded = await pool.exec(target, loadDumpCommand(spec), { stdin: hostile });
      expect(loaded.code).not.toBe(0);
      expect(existsSync(marker)).toBe(false);
      // Built aside and never moved in place: the database is the one restored before.
      expect(bodies()).toEqual(['première', 'seconde']);
    }
  });
});
