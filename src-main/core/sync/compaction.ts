// Compaction: one laptop at a time (the folder's lease) writes a snapshot of the team's state as it holds it, then
// removes the segments and older snapshots it covers — the one time a laptop removes files it did not write. Since
// the snapshot is taken after erasures were applied, it is also how an erased member's values leave the folder.
// A laptop that finds a covered segment gone catches up from the snapshot: applying it is the same merge.
import type { Core } from '../core';
import { writeTransaction } from '../db/write-transaction';
import { migrations } from '../db/migrations';
import { applySnapshot, encodeSnapshot, snapshotHeader } from './engine/snapshot-state';
import {
  deviceDir,
  DEVICES_DIR,
  isDeviceId,
  listSnapshots,
  readLatestSnapshot,
  releaseLease,
  segmentPath,
  segmentSeq,
  snapshotName,
  snapshotPath,
  takeLease,
  writeSnapshot,
  type FolderStore,
  type SegmentProblem,
  type Team,
} from './folder';

/** Long enough to write a large register's snapshot over a slow link; a crashed holder frees it by then. */
export const LEASE_MS = 15 * 60_000;
/** Segments in the folder past which a laptop compacts. */
export const COMPACT_AFTER_SEGMENTS = 200;

const schemaVersion = (): number => migrations.at(-1)?.version ?? 0;

function cursorsOf(core: Core, node: string): Record<string, number> {
  const peers = core.db.prepare('select node, last_seq from sync_peers where last_seq > 0').all() as { node: string; last_seq: number }[];
  const own = core.db.prepare('select next_seq - 1 from sync_team').pluck().get() as number;
  return { ...Object.fromEntries(peers.map((p) => [p.node, p.last_seq])), ...(own > 0 ? { [node]: own } : {}) };
}

/** Whether this laptop should compact now: many segments, or an erasure since the last snapshot. */
export async function compactionDue(core: Core, store: FolderStore): Promise<boolean> {
  const snapshots = await listSnapshots(store);
  // Names start with the time, as ISO-8601 without - and : (20261207T123000.000Z).
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2}\.\d{3}Z)/.exec(snapshots.at(-1) ?? '');
  const lastAt = stamp ? `${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}` : '';
  const erasedSince = core.db.prepare('select 1 from members where erased_at is not null and erased_at > ? limit 1').get(lastAt) !== undefined;
  if (erasedSince) return true;
  let segments = 0;
  for (const device of (await store.list(DEVICES_DIR)).filter(isDeviceId)) {
    segments += (await store.list(deviceDir(device))).filter((n) => segmentSeq(n) !== null).length;
  }
  return segments > COMPACT_AFTER_SEGMENTS;
}

/** Writes a snapshot and removes what it covers; false when another laptop holds the lease. */
export async function compact(core: Core, store: FolderStore, team: Team, node: string): Promise<boolean> {
  const now = core.clock.now();
  if (!(await takeLease(store, team, node, now, LEASE_MS))) return false;
  try {
    const { name, cursors } = await writeStateSnapshot(core, store, team, node, now);
    await removeCoveredSegments(store, cursors);
    for (const older of (await listSnapshots(store)).filter((n) => n < name)) await store.remove(snapshotPath(older));
    return true;
  } finally {
    await releaseLease(store, team, node);
  }
}

/**
 * Writes this laptop's state as a snapshot sealed for `team`: its name, and per device the last segment it covers
 * (`without` a device being removed from the team, whose files go with it).
 */
export async function writeStateSnapshot(
  core: Core,
  store: FolderStore,
  team: Team,
  node: string,
  now: Date,
  without?: string,
): Promise<{ name: string; cursors: Record<string, number> }> {
  // Read in one transaction, so the cells, the values and the cursors agree.
  const bytes = writeTransaction(core.db, () => {
    const cursors = Object.fromEntries(Object.entries(cursorsOf(core, node)).filter(([device]) => device !== without));
    return encodeSnapshot(core.db, { schemaVersion: schemaVersion(), cursors });
  });
  const name = snapshotName(now, node);
  await writeSnapshot(store, team, node, name, bytes);
  return { name, cursors: snapshotHeader(bytes).cursors };
}

export async function removeCoveredSegments(store: FolderStore, cursors: Readonly<Record<string, number>>): Promise<void> {
  for (const [device, upTo] of Object.entries(cursors)) {
    for (const file of await store.list(deviceDir(device))) {
      const seq = segmentSeq(file);
      if (seq !== null && seq <= upTo) await store.remove(segmentPath(device, seq));
    }
  }
}

/**
 * A device's segments stopped at one that is gone (compacted): the newest snapshot, when it covers it, is applied
 * and the cursors move past what it holds. Returns whether it did, so the caller reads the segments again.
 */
export async function catchUpFromSnapshot(core: Core, store: FolderStore, team: Team, problems: readonly SegmentProblem[]): Promise<boolean> {
  const gaps = problems.filter((p) => p.code === 'sync_segment_missing' || p.code === 'sync_file_vanished');
  if (gaps.length === 0) return false;
  const applied = await applyLatestSnapshot(core, store, team, (cursors) => gaps.some((g) => (cursors[g.device] ?? 0) >= g.seq));
  return applied !== null;
}

/**
 * Applies the newest snapshot that opens, when `wanted` says it covers what this laptop lacks, and returns the
 * segments it covers; null when it applied none.
 */
export async function applyLatestSnapshot(
  core: Core,
  store: FolderStore,
  team: Team,
  wanted: (cursors: Record<string, number>) => boolean = () => true,
): Promise<Record<string, number> | null> {
  const { snapshot } = await readLatestSnapshot(store, team);
  if (!snapshot) return null;
  const { cursors } = snapshotHeader(snapshot.bytes);
  if (!wanted(cursors)) return null;
  applySnapshot(core.db, snapshot.bytes, (work) => writeTransaction(core.db, work));
  writeTransaction(core.db, () => {
    const advance = core.db.prepare(
      'insert into sync_peers (node, last_seq) values (?, ?) on conflict (node) do update set last_seq = max(last_seq, excluded.last_seq)',
    );
    const own = core.db.prepare('select node from sync_team').pluck().get() as string;
    for (const [device, seq] of Object.entries(cursors)) if (device !== own) advance.run(device, seq);
  });
  return cursors;
}
