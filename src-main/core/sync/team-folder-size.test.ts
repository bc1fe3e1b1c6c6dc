// The team folder's size in the status: measured at each full sync, left as it was by the cheap poll.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, memberInput, testTeam } from './engine/test-team';

const { laptop, folder } = testTeam();
const bytesIn = (dir: string): number => allFiles(dir).reduce((sum, f) => sum + statSync(f).size, 0);

describe('the team folder’s size', () => {
  it('is the sum of the folder’s files after a full sync, null outside a team', async () => {
    const dir = folder();
    const a = laptop('a');
    expect((await a.call('sync.status', {})).folderBytes).toBeNull();
    await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
    await a.call('sync.create', { folder: dir, keyFile: null });
    const first = (await a.call('sync.status', {})).folderBytes;
    expect(first).toBe(bytesIn(dir));
    expect(first).toBeGreaterThan(0);

    // The poll with nothing to do lists, never measures: a file dropped in meanwhile is counted at the next full sync.
    writeFileSync(join(dir, 'notes.txt'), 'x'.repeat(1000));
    expect((await a.call('sync.now', {})).folderBytes).toBe(first);
    await a.call('members.create', memberInput('2', 'Zoé', 'Le Goff'));
    const after = await a.call('sync.now', {});
    expect(after.folderBytes).toBe(bytesIn(dir));
    expect(after.folderBytes).toBeGreaterThan((first ?? 0) + 1000);

    // Another laptop measures the same folder the same way.
    const b = laptop('b');
    const sheetKey = (await a.call('sync.sheet', {})).key;
    const joined = await b.call('sync.join', { folder: dir, key: sheetKey, keyFile: null });
    expect(joined.folderBytes).toBe(bytesIn(dir));
  });
});
