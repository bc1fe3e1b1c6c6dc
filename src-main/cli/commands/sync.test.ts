import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('pelote sync', () => {
  it('init writes the key 0600 and prints the sheet; join with that file brings the register; status and now report', async () => {
    const folder = dir();
    const a = dir();
    const b = dir();
    const keyFile = join(dir(), 'team.key');
    const csv = join(dir(), 'members.csv');
    writeFileSync(csv, 'Numéro;Nom;Prénom\n12;Roux;Hélène\n');
    expect((await cli(a, 'members', 'import', csv, '--format', 'paheko')).code).toBe(0);

    const init = await cli(a, '--json', 'sync', 'init', folder, '--key-file', keyFile);
    expect(init.code).toBe(0);
    const sheet = JSON.parse(init.stdout) as { key: string; folder: string };
    expect(readFileSync(keyFile, 'utf8')).toBe(sheet.key);
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    expect((await cli(a, 'sync', 'init', folder, '--key-file', keyFile)).code).toBe(1);

    const join_ = await cli(b, '--json', 'sync', 'join', folder, '--key-file', keyFile);
    expect(join_.code).toBe(0);
    expect(JSON.parse(join_.stdout)).toMatchObject({ inTeam: true, waiting: 0, lastError: null });
    const exported = await cli(b, 'members', 'export');
    expect(exported.stdout).toContain('Hélène');

    const status = await cli(a, 'sync', 'status');
    expect(status.stdout).toContain(`Team folder: ${folder}`);
    expect((await cli(a, '--json', 'sync', 'now')).code).toBe(0);
  });

  it('says what is wrong: no folder, no key file, a wrong key, not in a team', async () => {
    const a = dir();
    expect((await cli(a, 'sync', 'init')).code).toBe(2);
    expect((await cli(a, 'sync', 'join', dir())).code).toBe(2);
    const wrongKey = join(dir(), 'wrong.key');
    writeFileSync(wrongKey, 'not a key');
    const wrong = await cli(a, '--json', 'sync', 'join', dir(), '--key-file', wrongKey);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'sync_team_key_mistyped' } });
    const notInTeam = await cli(a, '--json', 'sync', 'now');
    expect(JSON.parse(notInTeam.stderr)).toMatchObject({ error: { code: 'sync_not_in_team' } });
  });
});
