import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderStore } from './folder-store';
import { segmentPath } from './layout';
import { readSegmentsAfter, writeSegment, type SegmentsAfter } from './segments';
import { initTeamFolder, type Team } from './team-folder';
import { generateTeamKey } from './team-key';
import { codeOf } from './testing/folder-store-contract';
import { DEVICE_A as A, DEVICE_B as B, DEVICE_C as C, localTeamFolder, syncMessage, type LocalTeamFolder } from './testing/local-team';

const NOW = new Date('2025-03-01T09:30:00.000Z');
const none = new Map<string, number>();

/** (device, seq) of each segment read. */
const read = (result: SegmentsAfter): [string, number][] => result.segments.map((s) => [s.device, s.seq]);

describe('segments', () => {
  let folder: LocalTeamFolder;
  let store: FolderStore;
  let team: Team;
  const file = (device: string, seq: number): string => join(folder.root, segmentPath(device, seq));

  beforeEach(async () => {
    folder = localTeamFolder();
    store = folder.store;
    team = await initTeamFolder(store, generateTeamKey(), NOW);
  });
  afterEach(() => folder.cleanup());

  /** Writes segments 1..n for each device, one message each. */
  async function fill(counts: Record<string, number>): Promise<void> {
    for (const [device, n] of Object.entries(counts)) {
      for (let seq = 1; seq <= n; seq++) await writeSegment(store, team, device, seq, [syncMessage(`${device}-${seq}`, device)]);
    }
  }

  it('round-trips two devices’ messages, in (device, seq) order, after each cursor', async () => {
    const a1 = [syncMessage('Alice Martin'), syncMessage('alice@example.org', A, 'email')];
    const b1 = [syncMessage('Bob', B)];
    await writeSegment(store, team, B, 1, b1);
    await writeSegment(store, team, A, 1, a1);
    await writeSegment(store, team, A, 2, []);
    await writeSegment(store, team, B, 2, [syncMessage('Éloïse « Zoé » 🎉', B)]);

    const all = await readSegmentsAfter(store, team, none);
    expect(all.problems).toEqual([]);
    expect(all.more).toBe(false);
    expect(read(all)).toEqual([
      [A, 1],
      [A, 2],
      [B, 1],
      [B, 2],
    ]);
    expect(all.segments[0]?.messages).toEqual(a1);
    expect(all.segments[1]?.messages).toEqual([]);
    expect(all.segments[2]?.messages).toEqual(b1);
    expect(all.segments[3]?.messages[0]?.value).toBe('Éloïse « Zoé » 🎉');

    const after = await readSegmentsAfter(store, team, new Map([[A, 2], [B, 1]]));
    expect(read(after)).toEqual([[B, 2]]);
    expect(await readSegmentsAfter(store, team, new Map([[A, 2], [B, 2]]))).toEqual({ segments: [], problems: [], more: false });
  });

  it('hands out at most maxSegments and says more are waiting', async () => {
    await fill({ [A]: 3, [B]: 2 });
    const first = await readSegmentsAfter(store, team, none, { maxSegments: 4 });
    expect(read(first)).toEqual([
      [A, 1],
      [A, 2],
      [A, 3],
      [B, 1],
    ]);
    expect(first.more).toBe(true);
    const rest = await readSegmentsAfter(store, team, new Map([[A, 3], [B, 1]]), { maxSegments: 4 });
    expect(read(rest)).toEqual([[B, 2]]);
    expect(rest.more).toBe(false);
  });

  it('refuses to write a segment twice: they are immutable', async () => {
    await writeSegment(store, team, A, 1, [syncMessage('first')]);
    expect(await codeOf(writeSegment(store, team, A, 1, [syncMessage('second')]))).toBe('sync_folder_file_exists');
    expect(await codeOf(writeSegment(store, team, 'NOT-A-DEVICE', 1, []))).toBe('internal');
    expect(await codeOf(writeSegment(store, team, A, 0, []))).toBe('internal');
  });

  it('never returns a truncated segment, stops only that device there, and takes it once complete', async () => {
    await fill({ [A]: 3, [B]: 2, [C]: 1 });
    const whole = readFileSync(file(A, 2));
    for (const length of [0, 1, 5, 6, 20, 33, 34, 40, Math.floor(whole.length / 2), whole.length - 16, whole.length - 1]) {
      writeFileSync(file(A, 2), whole.subarray(0, length));
      const result = await readSegmentsAfter(store, team, none);
      expect(read(result), `cut at ${length}`).toEqual([
        [A, 1],
        [C, 1],
        [B, 1],
        [B, 2],
      ]);
      expect(result.problems).toEqual([{ device: A, seq: 2, code: length < 34 ? 'sync_file_truncated' : 'sync_file_corrupt' }]);
    }
    writeFileSync(file(A, 2), whole); // the copy completed
    const retried = await readSegmentsAfter(store, team, new Map([[A, 1], [B, 2], [C, 1]]));
    expect(read(retried)).toEqual([
      [A, 2],
      [A, 3],
    ]);
    expect(retried.problems).toEqual([]);
  });

  it('never returns a segment with a flipped byte, anywhere in it', async () => {
    await fill({ [A]: 2, [B]: 1 });
    const whole = readFileSync(file(A, 1));
    for (let at = 0; at < whole.length; at++) {
      const damaged = Buffer.from(whole);
      damaged[at] = (damaged[at] ?? 0) ^ 0x01;
      writeFileSync(file(A, 1), damaged);
      const result = await readSegmentsAfter(store, team, none);
      expect(read(result), `byte ${at}`).toEqual([[B, 1]]);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ device: A, seq: 1 });
    }
  });

  it('refuses a segment moved to another device’s name or another number', async () => {
    await fill({ [A]: 2, [B]: 1 });
    renameSync(file(A, 2), file(B, 2)); // B's folder now holds A's second segment as its own
    const result = await readSegmentsAfter(store, team, none);
    expect(read(result)).toEqual([
      [A, 1],
      [B, 1],
    ]);
    expect(result.problems).toEqual([{ device: B, seq: 2, code: 'sync_file_corrupt' }]);

    renameSync(file(B, 2), file(A, 2));
    renameSync(file(A, 1), file(A, 3)); // replayed under a later number...
    writeFileSync(file(A, 1), readFileSync(file(A, 2))); // ...and another copied under an earlier one
    const reordered = await readSegmentsAfter(store, team, none);
    expect(read(reordered)).toEqual([[B, 1]]);
    expect(reordered.problems).toEqual([{ device: A, seq: 1, code: 'sync_file_corrupt' }]);
  });

  it('ignores temporary files and names that are not segments', async () => {
    await fill({ [A]: 1 });
    writeFileSync(join(folder.root, 'devices', A, '.tmp-0123456789abcdef'), 'half an upload');
    writeFileSync(join(folder.root, 'devices', A, '000000000002.seg.part'), 'x');
    writeFileSync(join(folder.root, 'devices', A, '2.seg'), 'x');
    writeFileSync(join(folder.root, 'devices', A, '000000000001 (conflicted copy).seg'), 'x');
    writeFileSync(join(folder.root, 'devices', A, '000000000000.seg'), 'x');
    writeFileSync(join(folder.root, 'devices', '.DS_Store'), 'x');
    writeFileSync(join(folder.root, 'devices', 'README'), 'x');
    const result = await readSegmentsAfter(store, team, none);
    expect(read(result)).toEqual([[A, 1]]);
    expect(result.problems).toEqual([]);
  });

  it('stops a device at a gap in its numbers, after the segments before it', async () => {
    await fill({ [A]: 4, [B]: 1 });
    rmSync(file(A, 3));
    const result = await readSegmentsAfter(store, team, none);
    expect(read(result)).toEqual([
      [A, 1],
      [A, 2],
      [B, 1],
    ]);
    expect(result.problems).toEqual([{ device: A, seq: 3, code: 'sync_segment_missing' }]);
    // A device whose first wanted segment is gone (compacted, or not arrived) reports where it stands.
    rmSync(file(A, 1));
    expect((await readSegmentsAfter(store, team, none)).problems).toEqual([{ device: A, seq: 1, code: 'sync_segment_missing' }]);
    expect((await readSegmentsAfter(store, team, new Map([[A, 2]]))).problems).toEqual([{ device: A, seq: 3, code: 'sync_segment_missing' }]);
  });

  it('reports a segment that vanished between listing and reading, and stops that device', async () => {
    await fill({ [A]: 3, [B]: 1 });
    // Compaction on another laptop removes A's segment 2 right after this one listed it.
    const compacting: FolderStore = {
      ...store,
      read: async (path) => {
        if (path === segmentPath(A, 2)) await store.remove(path);
        return store.read(path);
      },
    };
    const result = await readSegmentsAfter(compacting, team, none);
    expect(read(result)).toEqual([
      [A, 1],
      [B, 1],
    ]);
    expect(result.problems).toEqual([{ device: A, seq: 2, code: 'sync_file_vanished' }]);
  });

  it('keeps a segment from a newer Pelote for later and stops that device', async () => {
    await fill({ [A]: 2, [B]: 1 });
    const newer = readFileSync(file(A, 1));
    newer[4] = 2;
    writeFileSync(file(A, 1), newer);
    const result = await readSegmentsAfter(store, team, none);
    expect(read(result)).toEqual([[B, 1]]);
    expect(result.problems).toEqual([{ device: A, seq: 1, code: 'sync_file_newer_format' }]);
  });

  it('reads nothing from another team’s segments', async () => {
    await fill({ [A]: 1 });
    const elsewhere = localTeamFolder();
    try {
      const otherTeam = await initTeamFolder(elsewhere.store, team.key, NOW); // same key, another team id
      const result = await readSegmentsAfter(store, otherTeam, none);
      expect(result.segments).toEqual([]);
      expect(result.problems).toEqual([{ device: A, seq: 1, code: 'sync_file_corrupt' }]);
    } finally {
      elsewhere.cleanup();
    }
  });
});
