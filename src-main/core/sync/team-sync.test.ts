import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncedState } from './engine/sync-test-fixtures';
import { allFiles, cutSegmentWaitsUntilWhole, memberInput, testTeam } from './engine/test-team';

const team = testTeam();
const make = team.laptop;
const folder = team.folder;

describe('a team through a local folder', () => {
  it('creates the team on A, joins on B, and changes flow both ways; the folder holds nothing readable', async () => {
    const dir = folder();
    const a = make('a');
    const b = make('b');
    await a.call('settings.update', { associationName: 'Les Chatons du Trégor', volunteerName: 'Anne' });
    const helene = await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    expect(sheet.key).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4})+$/);
    expect((await a.call('sync.status', {})).sheetConfirmed).toBe(false);

    // B set itself up alone first: the team's association name wins, B's own member joins the register.
    await b.call('settings.update', { associationName: 'Chatons B', volunteerName: 'Bruno' });
    const yann = await b.call('members.create', memberInput('2', 'Yann', 'Le Goff'));
    const joined = await b.call('sync.join', { folder: dir, key: sheet.key.toLowerCase().replaceAll(' ', '-'), keyFile: null });
    expect(joined).toMatchObject({ inTeam: true, teamId: sheet.teamId, waiting: 0, lastError: null });
    expect((await b.call('members.get', { id: helene.id })).member.firstName).toBe('Hélène');
    expect((await b.call('settings.get', {})).associationName).toBe('Les Chatons du Trégor');
    expect((await b.call('settings.get', {})).volunteerName).toBe('Bruno');

    await b.call('payments.record', { memberId: helene.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    await b.call('sync.now', {});
    const onA = await a.call('sync.now', {});
    expect((await a.call('members.get', { id: yann.id })).member.lastName).toBe('Le Goff');
    expect(syncedState(a)).toEqual(syncedState(b));
    expect(onA.devices).toEqual([expect.objectContaining({ volunteerName: 'Bruno', problem: null })]);

    const bytes = Buffer.concat(allFiles(dir).map((f) => readFileSync(f)));
    for (const word of ['Hélène', 'Roux', 'Trégor', 'Le Goff', 'Bruno']) expect(bytes.includes(Buffer.from(word)), word).toBe(false);
  });

  it('refuses a wrong key, a folder that is not a team folder, a second team in the same folder, and a second team here', async () => {
    const dir = folder();
    const a = make('a');
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    const b = make('b');
    const other = make('other');
    const otherSheet = await other.call('sync.create', { folder: folder(), keyFile: null });
    await expect(b.call('sync.join', { folder: dir, key: otherSheet.key, keyFile: null })).rejects.toMatchObject({ code: 'sync_team_key_wrong' });
    const empty = folder();
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    await expect(b.call('sync.join', { folder: empty, key: sheet.key, keyFile: null })).rejects.toMatchObject({ code: 'sync_not_team_folder' });
    await expect(b.call('sync.create', { folder: dir, keyFile: null })).rejects.toMatchObject({ code: 'sync_team_exists' });
    await expect(a.call('sync.create', { folder: folder(), keyFile: null })).rejects.toMatchObject({ code: 'sync_already_in_team' });
    expect((await b.call('sync.status', {})).inTeam).toBe(false);
  });

  it('never applies a segment cut short, and applies it once it is whole', async () => {
    const dir = folder();
    const a = make('a');
    const b = make('b');
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    await b.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
    await cutSegmentWaitsUntilWhole(a, b, dir);
  });

  it('offline is normal: a missing folder leaves the changes queued and says so, then catches up', async () => {
    const dir = folder();
    const a = make('a');
    await a.call('sync.create', { folder: dir, keyFile: null });
    const moved = `${dir}-unplugged`;
    const { renameSync } = await import('node:fs');
    renameSync(dir, moved);
    await a.call('members.create', memberInput('4', 'Maëlle', 'Guivarc’h'));
    const offline = await a.call('sync.now', {});
    expect(offline.lastError?.code).toBe('sync_folder_missing');
    expect(offline.waiting).toBeGreaterThan(0);
    renameSync(moved, dir);
    const back = await a.call('sync.now', {});
    expect(back).toMatchObject({ lastError: null, waiting: 0 });
  });
});
