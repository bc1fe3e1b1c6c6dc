// Snapshots: a compacted copy of the synced data (the engine's bytes: database and cursor vector), so that a new
// device joins without replaying all history. Immutable like segments; names sort in time order (see snapshotName).
import { CoreError } from '../../errors';
import type { FolderStore } from './folder-store';
import { checkDeviceId, isDeviceId, snapshotNameOf, snapshotPath, SNAPSHOTS_DIR } from './layout';
import { openAsync, sealAsync } from './sealed-file';
import type { Team } from './team-folder';

export interface Snapshot {
  name: string;
  /** The device that made it. */
  deviceId: string;
  bytes: Buffer;
}

export type SnapshotProblemCode = 'sync_file_vanished' | 'sync_file_truncated' | 'sync_file_corrupt' | 'sync_file_newer_format';

export interface LatestSnapshot {
  /** The newest snapshot that opens, or null. */
  snapshot: Snapshot | null;
  /** Newer ones that did not open (being copied, damaged, from a newer Pelote). */
  problems: { name: string; code: SnapshotProblemCode }[];
}

/** The payload starts with the maker's device id (16 hex digits), then the engine's bytes. */
const DEVICE_ID_BYTES = 16;

export async function writeSnapshot(store: FolderStore, team: Team, deviceId: string, name: string, bytes: Buffer): Promise<void> {
  checkDeviceId(deviceId);
  const path = snapshotPath(name);
  const payload = Buffer.concat([Buffer.from(deviceId, 'latin1'), bytes]);
  await store.writeNew(path, await sealAsync(team.key, { teamId: team.teamId, kind: 'snapshot', path }, payload));
}

/** Snapshot names, oldest first. */
export async function listSnapshots(store: FolderStore): Promise<string[]> {
  return (await store.list(SNAPSHOTS_DIR))
    .map(snapshotNameOf)
    .filter((name): name is string => name !== null)
    .sort();
}

/** One snapshot, or 'sync_file_vanished' and the sealed-file errors as CoreErrors. */
export async function readSnapshot(store: FolderStore, team: Team, name: string): Promise<Snapshot> {
  const path = snapshotPath(name);
  const file = await store.read(path);
  if (file === null) throw new CoreError('sync_file_vanished', `${path} is no longer in the team folder.`, { path });
  const payload = await openAsync(team.key, { teamId: team.teamId, kind: 'snapshot', path }, file);
  const deviceId = payload.subarray(0, DEVICE_ID_BYTES).toString('latin1');
  if (!isDeviceId(deviceId)) throw new CoreError('sync_file_corrupt', `${path} does not name its device.`, { path });
  return { name, deviceId, bytes: payload.subarray(DEVICE_ID_BYTES) };
}

/** The newest snapshot that opens: one still being copied in is passed over for the one before, and reported. */
export async function readLatestSnapshot(store: FolderStore, team: Team): Promise<LatestSnapshot> {
  const problems: LatestSnapshot['problems'] = [];
  for (const name of (await listSnapshots(store)).reverse()) {
    try {
      return { snapshot: await readSnapshot(store, team, name), problems };
    } catch (err) {
      if (!(err instanceof CoreError) || !isProblemCode(err.code)) throw err;
      problems.push({ name, code: err.code });
    }
  }
  return { snapshot: null, problems };
}

const isProblemCode = (code: string): code is SnapshotProblemCode =>
  code === 'sync_file_vanished' || code === 'sync_file_truncated' || code === 'sync_file_corrupt' || code === 'sync_file_newer_format';
