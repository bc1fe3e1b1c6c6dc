import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderStore } from './folder-store';
import { localFolderStore } from './local-folder-store';
import { initTeamFolder, openTeamFolder, readRotationNotice, rotateTeamFile } from './team-folder';
import { formatTeamKey, generateTeamKey, keyId } from './team-key';
import { codeOf } from './testing/folder-store-contract';
import { localTeamFolder, type LocalTeamFolder } from './testing/local-team';

const NOW = new Date('2025-03-01T09:30:00.000Z');

describe('team.json', () => {
  let folder: LocalTeamFolder;
  let store: FolderStore;
  beforeEach(() => {
    folder = localTeamFolder();
    store = folder.store;
  });
  afterEach(() => folder.cleanup());

  const teamJson = (): Record<string, unknown> => JSON.parse(readFileSync(join(folder.root, 'team.json'), 'utf8')) as Record<string, unknown>;

  it('is created with the team id, key id, date and sealed check, and nothing else', async () => {
    const key = generateTeamKey();
    const team = await initTeamFolder(store, key, NOW);
    expect(team).toEqual({ teamId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, key, keyId: keyId(key) });
    const json = teamJson();
    expect(Object.keys(json).sort()).toEqual(['check', 'createdAt', 'format', 'keyId', 'teamId', 'version']);
    expect(json).toMatchObject({ format: 'pelote-team-folder', version: 1, teamId: team.teamId, keyId: keyId(key), createdAt: NOW.toISOString() });
    expect(Buffer.from(json.check as string, 'base64').subarray(0, 4).toString()).toBe('PLT1');
  });

  it('opens with the key, as bytes or as typed from the sheet', async () => {
    const key = generateTeamKey();
    const { teamId } = await initTeamFolder(store, key, NOW);
    expect(await openTeamFolder(store, key)).toEqual({ teamId, key, keyId: keyId(key) });
    const typed = formatTeamKey(key).toLowerCase().replace(/ /g, '-').replace(/0/g, 'o');
    expect((await openTeamFolder(store, typed)).key.equals(key)).toBe(true);
  });

  it('says the key is wrong when another team’s key is used', async () => {
    await initTeamFolder(store, generateTeamKey(), NOW);
    expect(await codeOf(openTeamFolder(store, generateTeamKey()))).toBe('sync_team_key_wrong');
    expect(await codeOf(openTeamFolder(store, formatTeamKey(generateTeamKey())))).toBe('sync_team_key_wrong');
  });

  it('says a mistyped key is mistyped, before reading the folder', async () => {
    const text = formatTeamKey(generateTeamKey());
    const typo = text.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const untouchable: FolderStore = { ...store, read: () => Promise.reject(new Error('read before the key was checked')) };
    expect(await codeOf(openTeamFolder(untouchable, typo))).toBe('sync_team_key_mistyped');
  });

  it('says a folder of other files, an empty folder or a foreign team.json is not a team folder', async () => {
    writeFileSync(join(folder.root, 'holiday.jpg'), 'not a team');
    mkdirSync(join(folder.root, 'Documents'));
    writeFileSync(join(folder.root, 'Documents', 'minutes.odt'), 'x');
    expect(await codeOf(openTeamFolder(store, generateTeamKey()))).toBe('sync_not_team_folder');
    const empty = localTeamFolder();
    try {
      expect(await codeOf(openTeamFolder(empty.store, generateTeamKey()))).toBe('sync_not_team_folder');
    } finally {
      empty.cleanup();
    }
    for (const content of ['{"name": "my-package", "version": "1.0.0"}', 'not json {', '[]', '{"format":"pelote-team-folder","version":1}']) {
      writeFileSync(join(folder.root, 'team.json'), content);
      expect(await codeOf(openTeamFolder(store, generateTeamKey())), content).toBe('sync_not_team_folder');
    }
  });

  it('says a newer Pelote made the folder, whatever else the file holds', async () => {
    await initTeamFolder(store, generateTeamKey(), NOW);
    writeFileSync(join(folder.root, 'team.json'), JSON.stringify({ ...teamJson(), version: 2, somethingNew: true }));
    expect(await codeOf(openTeamFolder(store, generateTeamKey()))).toBe('sync_folder_newer');
  });

  it('refuses to create a team where one already is, even one whose team.json has not arrived yet', async () => {
    const key = generateTeamKey();
    const first = await initTeamFolder(store, key, NOW);
    expect(await codeOf(initTeamFolder(store, generateTeamKey(), NOW))).toBe('sync_team_exists');
    expect(await codeOf(initTeamFolder(store, key, NOW))).toBe('sync_team_exists');
    expect((await openTeamFolder(store, key)).teamId).toBe(first.teamId);
    const filling = localTeamFolder();
    try {
      mkdirSync(join(filling.root, 'devices'));
      expect(await codeOf(initTeamFolder(filling.store, key, NOW))).toBe('sync_team_exists');
    } finally {
      filling.cleanup();
    }
  });

  it('lets only one of two laptops creating a team at once win', async () => {
    const results = await Promise.allSettled([initTeamFolder(store, generateTeamKey(), NOW), initTeamFolder(store, generateTeamKey(), NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code)).toEqual(['sync_team_exists']);
  });

  it('notices a team.json whose team id was edited', async () => {
    const key = generateTeamKey();
    await initTeamFolder(store, key, NOW);
    writeFileSync(join(folder.root, 'team.json'), JSON.stringify({ ...teamJson(), teamId: '00000000-0000-4000-8000-000000000000' }));
    expect(await codeOf(openTeamFolder(store, key))).toBe('sync_file_corrupt');
  });

  it('after a rotation, opens with the new key only and tells an old key plainly when and by whom it was changed', async () => {
    const first = generateTeamKey();
    const team = await initTeamFolder(store, first, NOW);
    const second = generateTeamKey();
    const notice = { rotatedAt: '2025-04-02T08:00:00.000Z', by: 'Anne', removed: ['0123456789abcdef'] };
    expect(await rotateTeamFile(store, team, second, notice)).toEqual({ teamId: team.teamId, key: second, keyId: keyId(second) });
    expect((await openTeamFolder(store, second)).keyId).toBe(keyId(second));
    await expect(openTeamFolder(store, first)).rejects.toMatchObject({ code: 'sync_team_key_rotated', details: { rotatedAt: notice.rotatedAt, by: 'Anne' } });
    expect(await codeOf(openTeamFolder(store, generateTeamKey()))).toBe('sync_team_key_wrong');
    expect(await readRotationNotice(store, first)).toEqual(notice);
    expect(JSON.stringify(teamJson())).not.toContain('Anne'); // sealed with the retired key

    // Rotated again: each retired key still hears of its own rotation; done twice, the rewrite changes nothing.
    const third = generateTeamKey();
    const again = await rotateTeamFile(store, { teamId: team.teamId, key: second, keyId: keyId(second) }, third, { ...notice, by: 'Bruno' });
    expect(await rotateTeamFile(store, { teamId: team.teamId, key: second, keyId: keyId(second) }, third, notice)).toEqual(again);
    await expect(openTeamFolder(store, first)).rejects.toMatchObject({ details: { by: 'Anne' } });
    await expect(openTeamFolder(store, second)).rejects.toMatchObject({ code: 'sync_team_key_rotated', details: { by: 'Bruno' } });
    expect((teamJson().retired as unknown[]).length).toBe(2);

    // A notice swapped for another key's is not trusted: that key is just wrong.
    const json = teamJson() as { retired: { keyId: string; notice: string }[] };
    json.retired = [{ keyId: keyId(first), notice: json.retired[1]?.notice ?? '' }];
    writeFileSync(join(folder.root, 'team.json'), JSON.stringify(json));
    expect(await codeOf(openTeamFolder(store, first))).toBe('sync_team_key_wrong');
  });

  it('says the folder is missing when its root is gone', async () => {
    const gone = localFolderStore(join(folder.root, 'unplugged'));
    expect(await codeOf(openTeamFolder(gone, generateTeamKey()))).toBe('sync_folder_missing');
    expect(await codeOf(initTeamFolder(gone, generateTeamKey(), NOW))).toBe('sync_folder_missing');
  });
});
