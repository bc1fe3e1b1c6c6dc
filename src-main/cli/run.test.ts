import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../core/db/open';
import { dbPathIn } from '../core/paths';
import { tempDataDir } from '../testing/temp-core';
import { migrations } from '../core/db/migrations';
import { runCaptured } from '../testing/cli-captured';

const LATEST = migrations.at(-1)?.version ?? 0;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function dataDir(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return dir;
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCaptured(args, { env });

describe('pelote CLI', () => {
  it('prints help and the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['db info', 'db migrate', 'db backup FILE', 'serve']) expect(help.stdout).toContain(command);
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('db info reads without creating the file, then reports the migrated schema and row counts', async () => {
    const dir = dataDir();
    const before = await cli(['--data-dir', dir, '--json', 'db', 'info']);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ exists: false, schemaVersion: 0, pendingMigrations: LATEST });
    expect(existsSync(dbPathIn(dir))).toBe(false);

    const migrated = await cli(['--data-dir', dir, '--json', 'db', 'migrate']);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ from: 0, to: LATEST, backupPath: null });

    const after = await cli(['--data-dir', dir, '--json', 'db', 'info']);
    expect(JSON.parse(after.stdout)).toMatchObject({
      path: dbPathIn(dir),
      exists: true,
      schemaVersion: LATEST,
      latestVersion: LATEST,
      pendingMigrations: 0,
      rowCounts: { audit_log: 0, device: 0, schema_migrations: LATEST, settings: 0, members: 0 },
    });
    const human = await cli(['--data-dir', dir, 'db', 'info']);
    expect(human.stdout).toContain(`Schema version: ${LATEST} (latest ${LATEST})`);
  });

  it('takes the data directory from PELOTE_DATA_DIR when no flag is given', async () => {
    const dir = dataDir();
    await cli(['db', 'migrate'], { PELOTE_DATA_DIR: dir });
    expect(existsSync(dbPathIn(dir))).toBe(true);
  });

  it('db backup writes a consistent copy that opens on its own, and refuses to overwrite', async () => {
    const dir = dataDir();
    await cli(['--data-dir', dir, 'db', 'migrate']);
    const live = openDatabase(dbPathIn(dir));
    live.prepare("insert into settings (id, key, value, created_at, updated_at) values ('a', 'associationName', '\"Les Chatons\"', 'x', 'x')").run();
    live.close();

    const target = join(dir, 'copy.sqlite3');
    const result = await cli(['--data-dir', dir, 'db', 'backup', target]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(target);
    const copy = openDatabase(target, { readonly: true });
    expect(copy.prepare("select value from settings where key = 'associationName'").pluck().get()).toBe('"Les Chatons"');
    copy.close();

    const again = await cli(['--data-dir', dir, 'db', 'backup', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`pelote: Refusing to overwrite ${target}.\n`);
  });

  it('fails with one line on stderr and a non-zero exit', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: "pelote: unknown command: frobnicate (see 'pelote --help')\n" });

    const missing = await cli(['db', 'backup']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const badFlag = await cli(['--colour']);
    expect(badFlag.code).toBe(2);

    const dir = dataDir();
    writeFileSync(dbPathIn(dir), 'not a database'.repeat(200));
    const corrupt = await cli(['--data-dir', dir, '--json', 'db', 'info']);
    expect(corrupt.code).toBe(1);
    expect(JSON.parse(corrupt.stderr)).toMatchObject({ ok: false, error: { code: 'db_unreadable' } });
  });

  it('refuses to migrate a database from a newer Pelote', async () => {
    const dir = dataDir();
    await cli(['--data-dir', dir, 'db', 'migrate']);
    const db = openDatabase(dbPathIn(dir));
    db.prepare("insert into schema_migrations (version, name, applied_at) values (99, 'future', 'x')").run();
    db.close();
    const result = await cli(['--data-dir', dir, 'db', 'migrate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pelote: The database schema \(version 99\) is newer than this Pelote/);
  });

  it('runs as the built binary under plain Node', () => {
    const bin = resolve(__dirname, '../../out/main/cli.js');
    expect(existsSync(bin), 'run `npm run build` first').toBe(true);
    const dir = dataDir();
    const run = spawnSync(process.execPath, [bin, '--data-dir', dir, '--json', 'db', 'migrate'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ to: LATEST });
    const bad = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command: nope');
  });

  it('members import: --dry-run previews without writing, a real run imports, a second run changes nothing', async () => {
    const dir = dataDir();
    const file = resolve(__dirname, '../core/members/import/fixtures/variants/helloasso-members.windows-1252.semicolon.csv');
    const dry = await cli(['--data-dir', dir, '--json', 'members', 'import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as { dryRun: boolean; format: string; counts: { create: number } };
    expect(preview).toMatchObject({ dryRun: true, format: 'helloasso-members' });
    expect(preview.counts.create).toBeGreaterThan(0);
    const info = JSON.parse((await cli(['--data-dir', dir, '--json', 'db', 'info'])).stdout) as { rowCounts: Record<string, number> };
    expect(info.rowCounts.members).toBe(0);

    const real = await cli(['--data-dir', dir, 'members', 'import', file]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`Created ${preview.counts.create}`);
    const again = await cli(['--data-dir', dir, '--json', 'members', 'import', file]);
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { create: 0, update: 0, payments: 0 } });
  });

  it('members import reports a bad file with its code and exit 1', async () => {
    const dir = dataDir();
    const file = resolve(__dirname, '../core/members/import/fixtures/failures/binary.png');
    const result = await cli(['--data-dir', dir, '--json', 'members', 'import', file]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toMatchObject({ ok: false, error: { code: 'import_binary' } });
    expect((await cli(['members', 'import', '/nonexistent/file.csv'])).code).toBe(1);
    expect((await cli(['members', 'import', file, '--format', 'excel'])).code).toBe(2);
  });

  it('members export writes an Excel-ready CSV to a file or stdout', async () => {
    const dir = dataDir();
    const file = resolve(__dirname, '../core/members/import/fixtures/variants/paheko.utf-8.comma.csv');
    await cli(['--data-dir', dir, 'members', 'import', file]);
    const stdout = await cli(['--data-dir', dir, 'members', 'export']);
    expect(stdout.stdout.startsWith('\uFEFFNuméro;Nom;Prénom')).toBe(true);
    expect(stdout.stdout).toContain('helene.dupre@example.org');
    const target = join(dir, 'paiements.csv');
    const written = await cli(['--data-dir', dir, 'members', 'export', '--kind', 'payments', '--output', target]);
    expect(written.code).toBe(0);
    expect(existsSync(target)).toBe(true);
  });
});
