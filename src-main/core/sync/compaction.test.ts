import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import { syncedState } from './engine/sync-test-fixtures';
import { testTeam } from './engine/test-team';
import { open, parseTeamKey, type SealedKind } from './folder';

const team = testTeam();
const make = team.laptop;
const folder = team.folder;

/** Every file of the folder, decrypted with the team key: what an attacker holding the key could read. */
function decryptedFolder(dir: string, key: string): string {
  const teamId = (JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')) as { teamId: string }).teamId;
  const texts: string[] = [readFileSync(join(dir, 'team.json'), 'utf8')];
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = join(dir, file);
    if (!statSync(full).isFile() || file === 'team.json') continue;
    const path = relative(dir, full).split('\\').join('/');
    const kind: SealedKind = path.endsWith('.seg') ? 'segment' : path.endsWith('/head') ? 'head' : path.startsWith('snapshots/') ? 'snapshot' : 'lease';
    texts.push(open(parseTeamKey(key), { teamId, kind, path }, readFileSync(full)).toString('utf8'));
  }
  return texts.join('\n');
}

describe('compaction', () => {
  it('after an erasure, nothing in the folder holds the erased values, and every laptop catches up from the snapshot', async () => {
    const dir = folder();
    const a = make('a');
    const b = make('b');
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    await b.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
    const maelle = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '9', firstName: 'Maëlle', lastName: 'Kerhervé', email: 'maelle@exemple.fr' } });
    await a.call('payments.record', { memberId: maelle.id, amountCents: 1500, paidOn: '2026-02-02', method: 'cheque', notes: 'chèque de Maëlle' });
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    // B edits her city while A erases her; both sync.
    const { member } = await b.call('members.get', { id: maelle.id });
    const { id: _i, createdAt: _c, updatedAt: _u, deletedAt: _d, erasedAt: _e, ...input } = member;
    await b.call('members.update', { id: maelle.id, member: { ...input, city: 'Plouguerneau' } });
    await b.call('sync.now', {});
    await a.call('members.erase', { id: maelle.id });
    await a.call('sync.now', {});
    expect(readdirSync(join(dir, 'snapshots'))).toHaveLength(1);

    const everything = decryptedFolder(dir, sheet.key);
    expect(everything).toContain('"S:9"'); // the number stays, for the books
    for (const word of ['Maëlle', 'Kerhervé', 'maelle@exemple.fr', 'Plouguerneau']) expect(everything, word).not.toContain(word);

    await b.call('sync.now', {});
    expect(syncedState(b)).toEqual(syncedState(a));
    expect((await b.call('members.get', { id: maelle.id })).member).toMatchObject({ firstName: '', city: '', number: '9' });

    // A laptop joining after the compaction starts from the snapshot.
    const c = make('c');
    await c.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
    expect((await c.call('members.get', { id: maelle.id })).member).toMatchObject({ firstName: '', number: '9' });
    await a.call('sync.now', {});
    expect(syncedState(c)).toEqual(syncedState(a));
  });
});
