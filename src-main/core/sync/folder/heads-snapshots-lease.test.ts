import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLease, releaseLease, takeLease } from './compaction-lease';
import type { FolderStore } from './folder-store';
import { readHeads, writeHead, type DeviceHead } from './heads';
import { COMPACTION_LEASE, headPath, snapshotName, snapshotPath } from './layout';
import { listSnapshots, readLatestSnapshot, readSnapshot, writeSnapshot } from './snapshots';
import { initTeamFolder, type Team } from './team-folder';
import { generateTeamKey } from './team-key';
import { codeOf } from './testing/folder-store-contract';
import { DEVICE_A as A, DEVICE_B as B, DEVICE_C as C, localTeamFolder, type LocalTeamFolder } from './testing/local-team';

const NOW = new Date('2025-03-01T09:30:00.000Z');
const FAST = { confirmDelayMs: 20 };

const head = (seq: number, volunteerName: string): DeviceHead => ({
  seq,
  cursors: { [B]: 3 },
  volunteerName,
  appVersion: '0.1.0',
  schemaVersion: 12,
  at: NOW.toISOString(),
  merkle: { hash: 1234, '0': { hash: 1234 } },
});

describe('the team folder’s other files', () => {
  let folder: LocalTeamFolder;
  let store: FolderStore;
  let team: Team;

  beforeEach(async () => {
    folder = localTeamFolder();
    store = folder.store;
    team = await initTeamFolder(store, generateTeamKey(), NOW);
  });
  afterEach(() => folder.cleanup());

  describe('heads', () => {
    it('are rewritten in place and read back per device, with a missing or damaged one reported', async () => {
      await writeHead(store, team, A, head(1, 'Alice'));
      await writeHead(store, team, A, head(2, 'Alice'));
      await writeHead(store, team, B, head(7, 'Bob'));
      await writeHead(store, team, C, head(1, 'Chloé'));
      await store.writeNew('devices/1111111111111111/000000000001.seg', Buffer.from('a device with no head yet'));
      const damaged = readFileSync(join(folder.root, headPath(C)));
      writeFileSync(join(folder.root, headPath(C)), damaged.subarray(0, damaged.length - 1));
      expect(await readHeads(store, team)).toEqual([
        { device: A, head: head(2, 'Alice') },
        { device: '1111111111111111', code: 'sync_head_missing' },
        { device: C, code: 'sync_file_corrupt' },
        { device: B, head: head(7, 'Bob') },
      ]);
    });

    it('do not open when moved to another device', async () => {
      await writeHead(store, team, A, head(1, 'Alice'));
      await store.writeAtomic(headPath(B), readFileSync(join(folder.root, headPath(A))));
      expect(await readHeads(store, team)).toEqual([
        { device: A, head: head(1, 'Alice') },
        { device: B, code: 'sync_file_corrupt' },
      ]);
    });
  });

  describe('snapshots', () => {
    const older = snapshotName(new Date('2025-03-01T08:00:00Z'), A);
    const newer = snapshotName(new Date('2025-03-01T09:00:00Z'), B);

    it('are named in time order, immutable, and read back with their maker', async () => {
      expect(older).toBe(`20250301T080000.000Z-${A}`);
      const bytes = Buffer.from('SQLite format 3\0'.repeat(1000));
      await writeSnapshot(store, team, B, newer, bytes);
      await writeSnapshot(store, team, A, older, Buffer.from('old'));
      writeFileSync(join(folder.root, 'snapshots', '.tmp-abc'), 'x');
      writeFileSync(join(folder.root, 'snapshots', 'notes.txt'), 'x');
      expect(await listSnapshots(store)).toEqual([older, newer]);
      expect(await readLatestSnapshot(store, team)).toEqual({ snapshot: { name: newer, deviceId: B, bytes }, problems: [] });
      expect((await readSnapshot(store, team, older)).bytes.toString()).toBe('old');
      expect(await codeOf(writeSnapshot(store, team, A, older, Buffer.from('again')))).toBe('sync_folder_file_exists');
      expect(await codeOf(writeSnapshot(store, team, A, '../escape', Buffer.from('x')))).toBe('internal');
    });

    it('fall back to the previous one while the newest is incomplete or from a newer Pelote, and say so', async () => {
      await writeSnapshot(store, team, A, older, Buffer.from('old'));
      await writeSnapshot(store, team, B, newer, Buffer.from('new'));
      const whole = readFileSync(join(folder.root, snapshotPath(newer)));
      writeFileSync(join(folder.root, snapshotPath(newer)), whole.subarray(0, 40));
      expect(await readLatestSnapshot(store, team)).toEqual({
        snapshot: { name: older, deviceId: A, bytes: Buffer.from('old') },
        problems: [{ name: newer, code: 'sync_file_corrupt' }],
      });
      const fromTheFuture = Buffer.from(whole);
      fromTheFuture[4] = 9;
      writeFileSync(join(folder.root, snapshotPath(newer)), fromTheFuture);
      expect((await readLatestSnapshot(store, team)).problems).toEqual([{ name: newer, code: 'sync_file_newer_format' }]);
      rmSync(join(folder.root, snapshotPath(older)));
      expect((await readLatestSnapshot(store, team)).snapshot).toBeNull();
      expect(await codeOf(readSnapshot(store, team, older))).toBe('sync_file_vanished');
    });

    it('none at all is null', async () => {
      expect(await readLatestSnapshot(store, team)).toEqual({ snapshot: null, problems: [] });
    });
  });

  describe('compaction lease', () => {
    it('is taken when free, refused while another holds it, renewed by its holder, free again once expired', async () => {
      expect(await readLease(store, team)).toBeNull();
      expect(await takeLease(store, team, A, NOW, 60_000, FAST)).toBe(true);
      expect(await readLease(store, team)).toEqual({ deviceId: A, expiresAt: '2025-03-01T09:31:00.000Z' });
      expect(await takeLease(store, team, B, new Date(NOW.getTime() + 59_000), 60_000, FAST)).toBe(false);
      expect(await takeLease(store, team, A, new Date(NOW.getTime() + 30_000), 60_000, FAST)).toBe(true);
      expect(await takeLease(store, team, B, new Date(NOW.getTime() + 61_000), 60_000, FAST)).toBe(false); // renewed to 09:31:30
      expect(await takeLease(store, team, B, new Date(NOW.getTime() + 91_000), 60_000, FAST)).toBe(true);
      expect((await readLease(store, team)) as { deviceId: string }).toMatchObject({ deviceId: B });
    });

    it('is released only by its holder', async () => {
      expect(await takeLease(store, team, A, NOW, 60_000, FAST)).toBe(true);
      await releaseLease(store, team, B);
      expect(await readLease(store, team)).toMatchObject({ deviceId: A });
      await releaseLease(store, team, A);
      expect(await readLease(store, team)).toBeNull();
      await releaseLease(store, team, A);
    });

    it('goes to exactly one of two devices taking it at once', async () => {
      // The delay must outlast the other's write, even on a loaded machine.
      const slow = { confirmDelayMs: 300 };
      const results = await Promise.all([takeLease(store, team, A, NOW, 60_000, slow), takeLease(store, team, B, NOW, 60_000, slow)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = (await readLease(store, team)) as { deviceId: string };
      expect(holder.deviceId).toBe(results[0] ? A : B);
    });

    it('counts an unreadable lease as free and a newer Pelote’s as held', async () => {
      await store.writeAtomic(COMPACTION_LEASE, Buffer.from('half a lease'));
      expect(await readLease(store, team)).toBe('unreadable');
      expect(await takeLease(store, team, A, NOW, 60_000, FAST)).toBe(true);
      const newer = readFileSync(join(folder.root, COMPACTION_LEASE));
      newer[4] = 2;
      writeFileSync(join(folder.root, COMPACTION_LEASE), newer);
      expect(await readLease(store, team)).toBe('newer');
      expect(await takeLease(store, team, B, new Date('2030-01-01T00:00:00Z'), 60_000, FAST)).toBe(false);
    });
  });
});
