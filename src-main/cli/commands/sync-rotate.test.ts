import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus, TeamKeySheet } from '../../contract';
import { openDatabase } from '../../core/db/open';
import { dbPathIn } from '../../core/paths';
import { runCaptured } from '../../testing/cli-captured';
import { tempDataDir } from '../../testing/temp-core';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const dir = (): string => {
  const { dir: d, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return d;
};
const cli = (dataDir: string, ...args: string[]) => runCaptured(['--data-dir', dataDir, ...args]);

/** The CLI has no command for it: the volunteer's name is set in the app. */
async function nameDevice(dataDir: string, name: string): Promise<void> {
  await cli(dataDir, 'sync', 'status'); // makes the database
  const db = openDatabase(dbPathIn(dataDir));
  try {
    const now = new Date().toISOString();
    db.prepare('insert into device (id, volunteer_name, created_at, updated_at) values (?, ?, ?, ?)').run(randomUUID(), name, now, now);
  } finally {
    db.close();
  }
}

describe('pelote sync remove-device and rekey', () => {
  it('removes a computer by its volunteer name, prints the new sheet; another computer enters the new key from a file', async () => {
    const folder = dir();
    const [a, b, c] = [dir(), dir(), dir()];
    const keyFile = join(dir(), 'team.key');
    expect((await cli(a, 'sync', 'init', folder, '--key-file', keyFile)).code).toBe(0);
    await nameDevice(b, 'Bruno');
    await nameDevice(c, 'Chloé');
    for (const laptop of [b, c]) expect((await cli(laptop, 'sync', 'join', folder, '--key-file', keyFile)).code).toBe(0);
    expect((await cli(a, 'sync', 'now')).code).toBe(0);

    const unknown = await cli(a, '--json', 'sync', 'remove-device', 'Nobody');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'sync_device_unknown' } });
    expect((await cli(a, 'sync', 'remove-device')).code).toBe(2);

    const newKeyFile = join(dir(), 'new-team.key');
    const removed = await cli(a, '--json', 'sync', 'remove-device', 'Chloé', '--key-file', newKeyFile);
    expect(removed.code).toBe(0);
    const sheet = JSON.parse(removed.stdout) as TeamKeySheet;
    expect(sheet.key).not.toBe(readFileSync(keyFile, 'utf8'));
    expect(readFileSync(newKeyFile, 'utf8')).toBe(sheet.key);
    expect((statSync(newKeyFile).mode & 0o777).toString(8)).toBe('600');
    const onA = JSON.parse((await cli(a, '--json', 'sync', 'status')).stdout) as SyncStatus;
    expect(onA.devices.map((d) => d.volunteerName)).toEqual(['Bruno']);

    const stale = await cli(b, '--json', 'sync', 'now');
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ lastError: { code: 'sync_team_key_rotated' } });
    expect((await cli(b, 'sync', 'rekey')).code).toBe(2);
    const typed = join(dir(), 'typed.key');
    writeFileSync(typed, `${sheet.key.toLowerCase()}\n`);
    const rekeyed = await cli(b, '--json', 'sync', 'rekey', '--key-file', typed);
    expect(rekeyed.code).toBe(0);
    expect(JSON.parse(rekeyed.stdout)).toMatchObject({ lastError: null });

    const onC = await cli(c, 'sync', 'now');
    expect(onC.code).toBe(1);
    expect(onC.stdout).toContain('sync_team_key_rotated');
  });
});
