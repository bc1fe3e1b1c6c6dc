import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../core/core';
import { pinnedServer } from '../../core/health/health-test-fixtures';
import { closePoolFor } from '../../core/health/pool-for-core';
import { ServersService } from '../../core/health/servers-service';
import { laptop } from '../../core/sync/engine/sync-test-fixtures';
import { memberInput } from '../../core/sync/engine/test-team';
import { runCaptured } from '../../testing/cli-captured';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir, testPlatform } from '../../testing/temp-core';

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
    // The folder's size, as measured at the last full sync (a new process syncs fully): the sum of its files.
    const measured = (JSON.parse((await cli(a, '--json', 'sync', 'now')).stdout) as { folderBytes: number }).folderBytes;
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(folder, f))).filter((f) => f.isFile());
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    expect(measured).toBe(bytes);
    expect((await cli(a, 'sync', 'status')).stdout).toMatch(new RegExp(`^Folder size: [0-9.]+ kB \\(${bytes} bytes\\)$`, 'm'));
    expect((await cli(a, '--json', 'sync', 'now')).code).toBe(0);
  });

  describe('join through a server this computer does not know yet', () => {
    let sshd: SshdFixture;
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd.stop();
    });

    it('--identity and --fingerprint: the team’s register, and the team’s server with this computer’s key; a wrong fingerprint writes nothing', async () => {
      const teamDir = join(sshd.homeDir, 'team');
      await mkdir(teamDir);
      const home = await stat(sshd.homeDir);
      await chown(teamDir, home.uid, home.gid);
      const folder = `ssh://${sshd.username}@127.0.0.1:${sshd.port}${teamDir}`;
      const a = laptop('a');
      cleanups.push(() => a.cleanup());
      const server = await pinnedServer(a.call, sshd, { name: 'garage' });
      await a.call('members.create', memberInput('12', 'Hélène', 'Roux'));
      const sheet = await a.call('sync.create', { folder, keyFile: null });
      await closePoolFor(a);
      const keyFile = join(dir(), 'team.key');
      writeFileSync(keyFile, sheet.key);
      const identity = join(dir(), 'id_b');
      copyFileSync(sshd.privateKeyPath, identity);

      const b = dir();
      const rows = async () => (JSON.parse((await cli(b, '--json', 'db', 'info')).stdout) as { rowCounts: unknown }).rowCounts;
      expect((await cli(b, 'sync', 'status')).code).toBe(0);
      const before = await rows();
      const wrong = await cli(b, '--json', 'sync', 'join', folder, '--key-file', keyFile, '--identity', identity, '--fingerprint', `SHA256:${'A'.repeat(43)}`);
      expect(wrong.code).toBe(1);
      expect(JSON.parse(wrong.stderr)).toMatchObject({ error: { code: 'sync_join_host_key_mismatch' } });
      expect(await rows()).toEqual(before);
      expect(JSON.parse((await cli(b, '--json', 'sync', 'status')).stdout)).toMatchObject({ inTeam: false });
      // Usage mistakes: a fingerprint alone, or not as ssh-keygen prints it.
      expect((await cli(b, 'sync', 'join', folder, '--key-file', keyFile, '--fingerprint', sshd.hostKeyFingerprint)).code).toBe(2);
      expect((await cli(b, 'sync', 'join', folder, '--key-file', keyFile, '--identity', identity, '--fingerprint', 'SHA256:x')).code).toBe(2);

      const joined = await cli(b, '--json', 'sync', 'join', folder, '--key-file', keyFile, '--identity', identity, '--fingerprint', sshd.hostKeyFingerprint);
      expect(joined.stderr).toBe('');
      expect(JSON.parse(joined.stdout)).toMatchObject({ inTeam: true, teamId: sheet.teamId, lastError: null });
      expect((await cli(b, 'members', 'export')).stdout).toContain('Hélène');
      const b_ = openCore({ dataDir: b, platform: testPlatform() });
      try {
        const servers = new ServersService(b_).list();
        expect(servers.map((s) => [s.id, s.auth, s.hostKey?.fingerprint])).toEqual([
          [server.id, { kind: 'key', keyPath: identity, passphrase: { kind: 'none' } }, sshd.hostKeyFingerprint],
        ]);
      } finally {
        b_.close();
      }
      // Later syncs go the usual way, through the server B now has a key for.
      const now = await cli(b, '--json', 'sync', 'now');
      expect(JSON.parse(now.stdout)).toMatchObject({ lastError: null });
    });
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
