import { mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncedState, type Laptop } from './engine/sync-test-fixtures';
import { allFiles, memberInput, testTeam } from './engine/test-team';
import { open, parseTeamKey, type SealedKind } from './folder';
import { beginRotation } from './rotate-key';

const team = testTeam();
const make = team.laptop;
const folder = team.folder;

const kindOf = (path: string): SealedKind =>
  path.endsWith('.seg') ? 'segment' : path.endsWith('/head') ? 'head' : path.startsWith('snapshots/') ? 'snapshot' : 'lease';

/** The folder's sealed files (every one but team.json) that `key` opens. */
function openedWith(dir: string, key: string): string[] {
  const teamId = (JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')) as { teamId: string }).teamId;
  return allFiles(dir)
    .map((file) => relative(dir, file))
    .filter((path) => path !== 'team.json')
    .filter((path) => {
      try {
        open(parseTeamKey(key), { teamId, kind: kindOf(path), path }, readFileSync(join(dir, path)));
        return true;
      } catch {
        return false;
      }
    });
}

const segmentsOf = (dir: string, node: string): string[] => allFiles(dir).filter((f) => f.includes(`/devices/${node}/`) && f.endsWith('.seg')).sort();

/** A, B and C in one team through a local folder, each with a volunteer name and in step. */
async function threeLaptops(): Promise<{ dir: string; a: Laptop; b: Laptop; c: Laptop; key: string; nodes: Record<'a' | 'b' | 'c', string> }> {
  const dir = folder();
  const [a, b, c] = [make('a'), make('b'), make('c')];
  await a.call('settings.update', { volunteerName: 'Anne' });
  await b.call('settings.update', { volunteerName: 'Bruno' });
  await c.call('settings.update', { volunteerName: 'Chloé' });
  const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
  await a.call('sync.confirmSheet', {});
  await b.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
  await c.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
  await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
  for (const laptop of [a, b, c, a, b, c]) await laptop.call('sync.now', {});
  const node = async (l: Laptop) => (await l.call('sync.status', {})).node ?? '';
  return { dir, a, b, c, key: sheet.key, nodes: { a: await node(a), b: await node(b), c: await node(c) } };
}

describe('removing a device rotates the team key', () => {
  it('A removes C: B re-keys and loses nothing, even a segment A had not read; C reads nothing new', async () => {
    const { dir, a, b, c, key: oldKey, nodes } = await threeLaptops();

    // B pushes a change under the old key that reaches the folder only after A rotated (a sync client's delay).
    const late = await b.call('members.create', memberInput('2', 'Yann', 'Le Goff'));
    await b.call('sync.now', {});
    const lateSegment = segmentsOf(dir, nodes.b).at(-1) ?? '';
    const aside = join(mkdtempSync(join(tmpdir(), 'pelote-late-')), 'segment');
    renameSync(lateSegment, aside);

    const sheet = await a.call('sync.removeDevice', { node: nodes.c, keyFile: null });
    expect(sheet.key).not.toBe(oldKey);
    const onA = await a.call('sync.status', {});
    expect(onA).toMatchObject({ sheetConfirmed: false, lastError: null });
    expect(onA.devices.map((d) => d.node)).toEqual([nodes.b]);
    expect(a.audit.list({ entity: 'sync_device', entityId: nodes.c })).toEqual([
      expect.objectContaining({ action: 'delete', changes: expect.objectContaining({ volunteerName: { from: 'Chloé', to: null } }) as unknown }),
    ]);
    const teamJson = JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')) as { retired: { keyId: string }[] };
    expect(teamJson.retired).toHaveLength(1);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).not.toContain('Anne'); // the notice is sealed
    renameSync(aside, lateSegment);
    rmSync(join(aside, '..'), { recursive: true });

    // What A writes from now on, nobody holding the old key opens.
    const after = await a.call('members.create', memberInput('3', 'Maëlle', 'Kerhervé'));
    await a.call('sync.now', {});
    expect(openedWith(dir, oldKey).filter((f) => !f.startsWith(`devices/${nodes.b}/`))).toEqual([]);
    expect(openedWith(dir, oldKey)).toEqual([relative(dir, lateSegment)]); // B's late segment, until B re-seals it

    // C, removed: told plainly, reads nothing.
    const onC = await c.call('sync.now', {});
    expect(onC.lastError).toMatchObject({ code: 'sync_team_key_rotated', details: { by: 'Anne' } });
    await expect(c.call('members.get', { id: after.id })).rejects.toMatchObject({ code: 'member_not_found' });
    await expect(c.call('sync.rekey', { key: oldKey, keyFile: null })).rejects.toMatchObject({ code: 'sync_key_unchanged' });
    await expect(c.call('sync.rekey', { key: sheet.key, keyFile: null })).rejects.toMatchObject({ code: 'sync_device_removed' });
    await expect(c.call('sync.join', { folder: folder(), key: oldKey, keyFile: null })).rejects.toMatchObject({ code: 'sync_already_in_team' });

    // B, still on the old key: told the same, its new change waits.
    const queued = await b.call('members.create', memberInput('4', 'Soizic', 'Le Bihan'));
    const onB = await b.call('sync.now', {});
    expect(onB.lastError?.code).toBe('sync_team_key_rotated');
    expect(onB.waiting).toBeGreaterThan(0);
    await expect(b.call('sync.rekey', { key: oldKey.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')), keyFile: null })).rejects.toMatchObject({
      code: 'sync_team_key_mistyped',
    });

    const rekeyed = await b.call('sync.rekey', { key: sheet.key.toLowerCase(), keyFile: null });
    expect(rekeyed).toMatchObject({ lastError: null, waiting: 0, sheetConfirmed: true });
    expect(rekeyed.devices.map((d) => d.node)).toEqual([nodes.a]);
    expect(b.audit.list({ entity: 'sync' }).at(-1)).toMatchObject({ action: 'update' });
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    for (const id of [late.id, queued.id, after.id]) {
      expect((await a.call('members.get', { id })).member.id).toBe(id);
      expect((await b.call('members.get', { id })).member.id).toBe(id);
    }
    expect(syncedState(b)).toEqual(syncedState(a));
    expect((await a.call('sync.status', {})).devices[0]?.problem).toBeNull();

    // Nothing in the folder opens with the old key any more; everything opens with the new one.
    expect(openedWith(dir, oldKey)).toEqual([]);
    expect(openedWith(dir, sheet.key)).toHaveLength(allFiles(dir).length - 1);
    expect(allFiles(dir).some((f) => f.includes(`/devices/${nodes.c}/`))).toBe(false);
    expect((await c.call('sync.now', {})).lastError?.code).toBe('sync_team_key_rotated');
  });

  it('refuses to remove this computer, an unknown one, or one whose changes are not all read yet', async () => {
    const { dir, a, c, nodes } = await threeLaptops();
    await expect(a.call('sync.removeDevice', { node: nodes.a, keyFile: null })).rejects.toMatchObject({ code: 'sync_remove_self' });
    await expect(a.call('sync.removeDevice', { node: '0123456789abcdef', keyFile: null })).rejects.toMatchObject({ code: 'sync_device_unknown' });
    await expect(a.call('sync.removeDevice', { node: 'Chloé', keyFile: null })).rejects.toMatchObject({ code: 'invalid_argument' });

    // C's last change is still being copied into the folder: removing C now would lose it.
    const last = await c.call('members.create', memberInput('5', 'Gwen', 'Morvan'));
    await c.call('sync.now', {});
    const segment = segmentsOf(dir, nodes.c).at(-1) ?? '';
    const whole = readFileSync(segment);
    truncateSync(segment, Math.floor(whole.length / 2));
    await expect(a.call('sync.removeDevice', { node: nodes.c, keyFile: null })).rejects.toMatchObject({ code: 'sync_remove_unread' });
    expect((await a.call('sync.status', {})).sheetConfirmed).toBe(true);
    writeFileSync(segment, whole);
    await a.call('sync.removeDevice', { node: nodes.c, keyFile: null });
    expect((await a.call('members.get', { id: last.id })).member.firstName).toBe('Gwen');
  });

  it('a rotation stopped halfway (the folder gone) is finished by the next sync, with the key kept meanwhile', async () => {
    const { dir, a, b, nodes } = await threeLaptops();
    beginRotation(a, nodes.c, null);
    renameSync(dir, `${dir}-away`);
    expect((await a.call('sync.now', {})).lastError?.code).toBe('sync_folder_missing');
    renameSync(`${dir}-away`, dir);
    const done = await a.call('sync.now', {});
    expect(done).toMatchObject({ lastError: null, sheetConfirmed: false });
    const sheet = await a.call('sync.sheet', {});
    expect((await b.call('sync.now', {})).lastError?.code).toBe('sync_team_key_rotated');
    expect(await b.call('sync.rekey', { key: sheet.key, keyFile: null })).toMatchObject({ lastError: null });
    await a.call('sync.now', {});
    expect(syncedState(b)).toEqual(syncedState(a));
  });
});
