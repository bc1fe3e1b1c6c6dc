import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir, testPlatform } from '../../testing/temp-core';
import { openCore } from '../core';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { dbPathIn } from '../paths';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

const KEY = '/home/anne/.ssh/id_ed25519';
const PASSWORD_FILE = '/home/anne/pelote/restic-usb.password';

describe('a laptop of a team upgrading to a Pelote that shares servers and backups (migration 8)', () => {
  it('sends the servers and backups it held, keeps its own login, keys rule overrides alike everywhere, and takes local paths out of the audit trail', () => {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    const path = dbPathIn(data.dir);
    const db = openDatabase(path);
    const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
    migrate(db, migrations.slice(0, 7), clock, path);
    const auth = JSON.stringify({ auth: { from: null, to: { kind: 'key', keyPath: KEY, passphrase: { kind: 'file', path: '/home/anne/pass' } } }, name: { from: null, to: 'garage' } });
    db.prepare(
      `insert into audit_log (id, at, actor, device_id, entity, entity_id, action, changes) values
         ('e1', 't', 'Anne', 'dev', 'server', 's', 'create', ?),
         ('e2', 't', 'Anne', 'dev', 'backup_repository', 'r', 'create', ?)`,
    ).run(auth, JSON.stringify({ name: { from: null, to: 'usb' }, passwordSource: { from: null, to: { kind: 'file', path: PASSWORD_FILE } } }));
    db.exec(`
      insert into device (id, volunteer_name, created_at, updated_at) values ('dev', 'Anne', 't', 't');
      insert into sync_team (id, team_id, node, folder, key_source, joined_at) values (1, 'team', '0123456789abcdef', '/team', '{"kind":"file","path":"/k"}', 't');
      insert into servers (id, name, host, port, username, auth_kind, key_path, created_at, updated_at) values ('s', 'garage', 'garage.example', 22, 'pelote', 'key', '${KEY}', 't', 't');
      insert into rule_settings (id, server_id, rule_id, enabled, threshold, fail_after, clear_after, created_at, updated_at)
        values ('7a0c9e8e-4b8f-4c52-9d0e-3f8b2a1c6d5e', 's', 'disk_space', 1, 80, 2, 2, 't', 't');
      insert into backup_repositories (id, name, path, restic_id, password_source, created_at, updated_at)
        values ('r', 'usb', '/media/usb/restic', 'abc', '{"kind":"file","path":"${PASSWORD_FILE}"}', 't', 't');
      insert into backup_jobs (id, server_id, repository_id, name, spec, created_at, updated_at) values ('j', 's', 'r', 'nextcloud', '{}', 't', 't');
      insert into backup_runs (id, kind, job_id, repository_id, server_id, trigger, status, stage, owner_pid, started_at, finished_at, created_at, updated_at)
        values ('done', 'backup', 'j', 'r', 's', 'schedule', 'succeeded', 'done', 1, 't', 't', 't', 't');
      insert into members (id, number, first_name, last_name, search_text, sort_name, created_at, updated_at)
        values ('m', '1', 'Hélène', 'Roux', 'helene roux', 'roux helene', 't', 't');
    `);
    // The member was shared before the upgrade: the team already has every one of its cells.
    const columns = (db.prepare(`select name from pragma_table_info('members') where name <> 'id'`).pluck().all() as string[]);
    const cell = db.prepare(`insert into sync_cells (dataset, row, col, timestamp) values ('members', 'm', ?, '2025-12-01T00:00:00.000Z-0000-0123456789abcdef')`);
    for (const c of columns) cell.run(c);
    db.close();

    const core = openCore({ dataDir: data.dir, platform: testPlatform(), clock });
    cleanups.unshift(() => core.close());
    const outbox = core.db.prepare('select dataset, row, col, value from sync_outbox').all() as { dataset: string; row: string; col: string; value: string }[];
    const rows = new Set(outbox.map((m) => `${m.dataset}/${m.row}`));
    for (const row of ['servers/s', 'rule_settings/s:disk_space', 'backup_repositories/r', 'backup_jobs/j', 'backup_runs/done', 'audit_log/e1']) expect(rows, row).toContain(row);
    expect(rows).not.toContain('members/m');
    const sent = JSON.stringify(outbox);
    for (const local of [KEY, PASSWORD_FILE, '/home/anne/pass']) expect(sent, local).not.toContain(local);

    expect(core.db.prepare('select id from rule_settings').pluck().all()).toEqual(['s:disk_space']);
    expect(core.db.prepare('select device_id from backup_runs').pluck().all()).toEqual(['dev']);
    expect(core.db.prepare('select key_path from servers').pluck().get()).toBe(KEY);
    expect(JSON.parse(core.db.prepare(`select changes from audit_log where id = 'e1'`).pluck().get() as string)).toEqual({
      auth: { from: null, to: { kind: 'key' } },
      name: { from: null, to: 'garage' },
    });
    expect(JSON.parse(core.db.prepare(`select changes from audit_log where id = 'e2'`).pluck().get() as string)).toMatchObject({ passwordSource: { to: { kind: 'file' } } });
    // Still append-only.
    expect(() => core.db.prepare(`update audit_log set changes = '{}' where id = 'e1'`).run()).toThrow(/append-only/);
  });
});
