import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../core/db/migrate';
import { migrations } from '../core/db/migrations';
import { openDatabase } from '../core/db/open';
import { dbPathIn } from '../core/paths';
import { runCaptured } from '../testing/cli-captured';
import { fixedClock, tempDataDir } from '../testing/temp-core';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

// The usual desktop umask: without Pelote's care, new files would be 0644 and directories 0755.
let umask: number;
beforeAll(() => (umask = process.umask(0o022)));
afterAll(() => process.umask(umask));

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});
function scratch(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return dir;
}

describe('files holding personal data are private to the user', () => {
  it('a new data directory is 0700, the database and its WAL and shared memory 0600', async () => {
    const dataDir = join(scratch(), 'new', 'pelote');
    const created = await runCaptured(['--data-dir', dataDir, 'db', 'migrate']);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    expect(mode(dataDir)).toBe('700');
    const db = dbPathIn(dataDir);
    // Keep a connection open so the WAL and shared-memory files exist to be looked at.
    const open = openDatabase(db);
    open.prepare('select count(*) from members').get();
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(mode(file), file).toBe('600');
    open.close();
  });

  it('tightens an existing directory, database, WAL, migration copy and secrets at start, and says so', async () => {
    const dataDir = scratch();
    const db = dbPathIn(dataDir);
    const old = openDatabase(db);
    migrate(old, migrations, fixedClock('2026-01-01T00:00:00.000Z'), db);
    old.close();
    writeFileSync(`${db}.v3.bak`, 'a copy');
    mkdirSync(join(dataDir, 'secrets'));
    writeFileSync(join(dataDir, 'secrets', 'restic-x.password'), 'secret');
    for (const [path, m] of [[dataDir, 0o755], [db, 0o644], [`${db}.v3.bak`, 0o644], [join(dataDir, 'secrets'), 0o755], [join(dataDir, 'secrets', 'restic-x.password'), 0o644]] as const) {
      chmodSync(path, m);
    }

    const run = await runCaptured(['--data-dir', dataDir, '--json', 'db', 'migrate']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${dataDir} was readable by other accounts on this computer (mode 0755)`);
    expect(run.stderr).toContain(`${db} was readable by other accounts on this computer (mode 0644)`);
    expect(run.stderr.trim().split('\n')).toHaveLength(5);
    expect(mode(dataDir)).toBe('700');
    expect(mode(join(dataDir, 'secrets'))).toBe('700');
    for (const file of [db, `${db}.v3.bak`, join(dataDir, 'secrets', 'restic-x.password')]) expect(mode(file), file).toBe('600');

    const again = await runCaptured(['--data-dir', dataDir, 'db', 'migrate']);
    expect(again.stderr).toBe('');
  });

  it('the copy made before a migration is 0600', async () => {
    const dataDir = scratch();
    const db = dbPathIn(dataDir);
    const older = openDatabase(db);
    migrate(older, migrations.slice(0, -1), fixedClock('2026-01-01T00:00:00.000Z'), db);
    older.close();
    const run = await runCaptured(['--data-dir', dataDir, 'db', 'migrate']);
    expect(run.code).toBe(0);
    const copy = `${db}.v${migrations.length - 1}.bak`;
    expect(existsSync(copy)).toBe(true);
    expect(mode(copy)).toBe('600');
  });

  it('db backup writes 0600 and never replaces a file', async () => {
    const dataDir = scratch();
    const target = join(scratch(), 'copy.sqlite3');
    expect((await runCaptured(['--data-dir', dataDir, 'db', 'backup', target])).code).toBe(0);
    expect(mode(target)).toBe('600');
    const before = readFileSync(target);
    const twice = await runCaptured(['--data-dir', dataDir, '--json', 'db', 'backup', target]);
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stderr)).toMatchObject({ error: { code: 'file_exists' } });
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it('members export --output writes 0600, refuses an existing file unless --force', async () => {
    const dataDir = scratch();
    const target = join(scratch(), 'members.csv');
    writeFileSync(target, 'the treasurer’s own notes');
    chmodSync(target, 0o644);

    const refused = await runCaptured(['--data-dir', dataDir, '--json', 'members', 'export', '--output', target]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'file_exists' } });
    expect(refused.stderr).toContain(target);
    expect(readFileSync(target, 'utf8')).toBe('the treasurer’s own notes');

    const forced = await runCaptured(['--data-dir', dataDir, 'members', 'export', '--output', target, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain('Numéro');
    expect(mode(target)).toBe('600');

    const fresh = join(scratch(), 'payments.csv');
    expect((await runCaptured(['--data-dir', dataDir, 'members', 'export', '--kind', 'payments', '--output', fresh])).code).toBe(0);
    expect(mode(fresh)).toBe('600');
  });
});
