// A device's head: where it stands (its last segment, how far it read the others, its Merkle trie), rewritten after
// each sync. It is the one file a device replaces; the others compare tries with it and compaction reads its cursors.
import { z } from 'zod';
import { CoreError } from '../../errors';
import type { FolderStore } from './folder-store';
import { DEVICES_DIR, headPath, isDeviceId } from './layout';
import { mapLimit } from './map-limit';
import { open, seal } from './sealed-file';
import type { Team } from './team-folder';

const headSchema = z.object({
  seq: z.number().int().min(0),
  cursors: z.record(z.string(), z.number().int().min(0)),
  volunteerName: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  at: z.string(),
  merkle: z.unknown(),
  held: z.record(z.string(), z.number()).optional(),
});

export interface DeviceHead {
  /** The device's last segment written. */
  seq: number;
  /** How far it has applied each other device's segments. */
  cursors: Record<string, number>;
  volunteerName: string;
  appVersion: string;
  schemaVersion: number;
  /** When it wrote this head (ISO-8601). */
  at: string;
  /** Its Merkle trie (@actual-app/crdt), to find where two devices diverge. */
  merkle: unknown;
  /** Devices whose changes it holds because their clock runs ahead of its own, by how many minutes: they learn it here. */
  held?: Record<string, number>;
}

/**
 * 'sync_head_missing': a device folder without a head (not written yet, or being replaced where the server lacks
 * atomic rename); the others as for segments.
 */
export type HeadProblemCode = 'sync_head_missing' | 'sync_file_truncated' | 'sync_file_corrupt' | 'sync_file_newer_format';

export type HeadRead = { device: string; head: DeviceHead } | { device: string; code: HeadProblemCode };

const READS_IN_FLIGHT = 8;

export async function writeHead(store: FolderStore, team: Team, deviceId: string, head: DeviceHead): Promise<void> {
  const path = headPath(deviceId);
  await store.writeAtomic(path, seal(team.key, { teamId: team.teamId, kind: 'head', path }, JSON.stringify(head)));
}

/** Every device's head, or why it cannot be read, in device order. */
export async function readHeads(store: FolderStore, team: Team): Promise<HeadRead[]> {
  const devices = (await store.list(DEVICES_DIR)).filter(isDeviceId).sort();
  return mapLimit(devices, READS_IN_FLIGHT, (device) => readHead(store, team, device));
}

async function readHead(store: FolderStore, team: Team, device: string): Promise<HeadRead> {
  const path = headPath(device);
  const bytes = await store.read(path);
  if (bytes === null) return { device, code: 'sync_head_missing' };
  let json: unknown;
  try {
    json = JSON.parse(open(team.key, { teamId: team.teamId, kind: 'head', path }, bytes).toString('utf8'));
  } catch (err) {
    if (err instanceof CoreError) {
      if (err.code === 'sync_file_truncated' || err.code === 'sync_file_corrupt' || err.code === 'sync_file_newer_format') return { device, code: err.code };
      throw err;
    }
    return { device, code: 'sync_file_corrupt' }; // authentic but not JSON: not written by Pelote
  }
  const head = headSchema.safeParse(json);
  return head.success ? { device, head: { ...head.data, merkle: head.data.merkle } } : { device, code: 'sync_file_corrupt' };
}

