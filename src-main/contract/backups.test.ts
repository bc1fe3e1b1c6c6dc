import { describe, expect, it } from 'vitest';
import { absolutePath, backupJobInputSchema, databaseDumpSchema, restoreTargetSchema } from './backups';

const ids = { serverId: '0190f4d2-3b5a-7c1e-9f00-000000000001', repositoryId: '0190f4d2-3b5a-7c1e-9f00-000000000002' };
const issuesOf = (result: { error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('paths given to programs on the server', () => {
  it('refuse any part that starts with "-", which tar, du, find or mkdir would read as an option', () => {
    for (const bad of ['/-delete', '/srv/-x', '/var/www/--help', '/srv/app/-']) {
      const result = absolutePath.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(issuesOf(result), bad).toEqual(['no part of the path may start with "-"']);
    }
  });

  it('keep paths with dashes elsewhere, and the other rules', () => {
    for (const good of ['/', '/var/www', '/srv/my-app/data-', '/home/léa/a-b/x.sqlite3', '/opt/x--y']) expect(absolutePath.safeParse(good).success, good).toBe(true);
    expect(issuesOf(absolutePath.safeParse('var/www'))).toEqual(['an absolute path']);
    expect(issuesOf(absolutePath.safeParse('/var/../etc'))).toEqual(['no .. segments']);
  });

  it('apply to backed-up paths, SQLite databases and restore directories alike', () => {
    const job = { name: 'site', ...ids, paths: ['/var/www'] };
    expect(backupJobInputSchema.safeParse(job).success).toBe(true);
    expect(backupJobInputSchema.safeParse({ ...job, paths: ['/var/www', '/-delete'] }).success).toBe(false);
    expect(databaseDumpSchema.safeParse({ kind: 'sqlite', name: 'app', path: '/srv/-x/app.sqlite3' }).success).toBe(false);
    expect(restoreTargetSchema.safeParse({ kind: 'directory', path: '/tmp/--restore' }).success).toBe(false);
    expect(restoreTargetSchema.safeParse({ kind: 'directory', path: '/tmp/restore' }).success).toBe(true);
  });
});

describe('database dumps', () => {
  it('never take a database, user or account name that reads as an option', () => {
    const mysql = { kind: 'mysql', name: 'shop', database: 'shop', user: 'backup', runAs: 'mysql' };
    expect(databaseDumpSchema.safeParse(mysql).success).toBe(true);
    for (const bad of [{ database: '--result-file=/tmp/x' }, { database: '-x' }, { user: '-uroot' }, { runAs: '-s' }]) {
      expect(databaseDumpSchema.safeParse({ ...mysql, ...bad }).success, JSON.stringify(bad)).toBe(false);
      expect(databaseDumpSchema.safeParse({ ...mysql, kind: 'postgresql', ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
