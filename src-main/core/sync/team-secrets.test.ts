import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../db/write-transaction';
import { tempCore } from '../../testing/temp-core';
import { decodeCell } from './engine/cell-value';
import { startCapture } from './engine/team-clock';
import { formatTeamKey, generateTeamKey } from './folder/team-key';
import { openFromTeam, openWithKey, resealTeamSecrets, sealForTeam, sealWithKey, teamKeyHere } from './team-secrets';

const context = { table: 'backup_repositories', column: 'shared_password', row: 'r1' };

describe('team secrets', () => {
  let core: ReturnType<typeof tempCore>;
  beforeEach(() => (core = tempCore()));
  afterEach(() => core.cleanup());

  /** In a team whose key sits in a 0600 file, as the CLI keeps it; capture on, so changes reach the outbox. */
  function joinWith(key: Buffer): void {
    const file = join(core.dataDir, 'team.key');
    writeFileSync(file, `${formatTeamKey(key)}\n`, { mode: 0o600 });
    writeTransaction(core.db, () => {
      core.db
        .prepare(`insert into sync_team (id, team_id, node, folder, key_source, joined_at) values (1, 'team', '0123456789abcdef', '/tmp/folder', ?, ?)`)
        .run(JSON.stringify({ kind: 'file', path: file }), new Date().toISOString());
    });
    startCapture(core.db);
  }

  it('refuses outside a team', () => {
    expect(() => sealForTeam(core, context, 'secret')).toThrow(expect.objectContaining({ code: 'sync_not_in_team' }));
  });

  it('opens with the team key for the same table, column and row only, and never holds the secret in clear', () => {
    const key = generateTeamKey();
    joinWith(key);
    expect(teamKeyHere(core).equals(key)).toBe(true);
    const sealed = sealForTeam(core, context, 'hunter2-password');
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    // A fresh nonce each time: the same secret never seals to the same bytes.
    expect(sealForTeam(core, context, 'hunter2-password').equals(sealed)).toBe(false);
    expect(openFromTeam(core, context, sealed)).toBe('hunter2-password');
    for (const other of [{ ...context, row: 'r2' }, { ...context, column: 'password_sealed' }, { ...context, table: 'servers' }]) {
      expect(() => openFromTeam(core, other, sealed)).toThrow(expect.objectContaining({ code: 'sync_team_secret_corrupt' }));
    }
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
    expect(() => openFromTeam(core, context, flipped)).toThrow(expect.objectContaining({ code: 'sync_team_secret_corrupt' }));
    expect(() => openFromTeam(core, context, sealed.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'sync_team_secret_corrupt' }));
    expect(() => openWithKey(generateTeamKey(), context, sealed)).toThrow(expect.objectContaining({ code: 'sync_team_secret_other_key' }));
  });

  it('reseals every team-sealed value under a new key as a synced change, leaving values under another key alone', () => {
    const oldKey = generateTeamKey();
    const newKey = generateTeamKey();
    joinWith(oldKey);
    const insert = core.db.prepare(
      `insert into backup_repositories (id, name, path, restic_id, password_source, shared_password, created_at, updated_at) values (?, ?, ?, 'f00d', '{"kind":"none"}', ?, '2025-01-01', '2025-01-01')`,
    );
    const stranger = sealWithKey(generateTeamKey(), { ...context, row: 'r3' }, 'unknown');
    writeTransaction(core.db, () => {
      insert.run('r1', 'usb', '/media/usb', sealWithKey(oldKey, context, 'first'));
      insert.run('r2', 'nas', '/media/nas', null);
      insert.run('r3', 'old', '/media/old', stranger);
      core.db.prepare('delete from sync_outbox').run();
    });

    expect(resealTeamSecrets(core, oldKey, newKey)).toBe(1);
    const shared = (id: string) => core.db.prepare('select shared_password from backup_repositories where id = ?').pluck().get(id) as Buffer | null;
    expect(openWithKey(newKey, context, shared('r1') ?? Buffer.alloc(0))).toBe('first');
    expect(shared('r2')).toBeNull();
    expect(shared('r3')?.equals(stranger)).toBe(true);
    const outbox = core.db.prepare(`select row, col, value from sync_outbox where dataset = 'backup_repositories'`).all() as { row: string; col: string; value: string }[];
    expect(outbox.map((m) => [m.row, m.col])).toEqual([['r1', 'shared_password']]);
    expect(openWithKey(newKey, context, decodeCell(outbox[0]?.value ?? '0:') as Buffer)).toBe('first');
  });
});
