// The compaction lease: compaction is the one time a device removes files it did not write, so one device at a time
// holds leases/compaction.json ({deviceId, expiresAt}, sealed) while it compacts.
//
// A folder offers no compare-and-swap, so taking the lease is: read it, write ours if it is free, wait, read it
// back, and hold it only if ours is still there. Honest limits:
// - Two devices both win if one writes its lease more than `confirmDelayMs` after the other's confirming read
//   (it read the lease before the other's write became visible, then was slow to write). Keep the delay well above
//   the folder's write latency.
// - On a folder kept in step by a sync client (Nextcloud), writes reach the others after seconds or minutes: the
//   lease then only makes a collision unlikely. That is why it must stay an optimisation: compaction only deletes
//   segments every device's published cursor has passed and that its own snapshot covers, so two compactors waste
//   work but lose nothing.
// - Expiry is judged by each device's own clock: clocks further apart than the lease's margin weaken it too.
import { z } from 'zod';
import { CoreError } from '../../errors';
import type { FolderStore } from './folder-store';
import { checkDeviceId, COMPACTION_LEASE } from './layout';
import { open, seal } from './sealed-file';
import type { Team } from './team-folder';

export interface Lease {
  deviceId: string;
  /** ISO-8601. */
  expiresAt: string;
}

export interface LeaseOptions {
  /** How long to wait before reading the lease back (default 2 s). */
  confirmDelayMs?: number;
}

const DEFAULT_CONFIRM_DELAY_MS = 2_000;

const leaseSchema = z.object({ deviceId: z.string(), expiresAt: z.iso.datetime() });

const context = (team: Team) => ({ teamId: team.teamId, kind: 'lease', path: COMPACTION_LEASE }) as const;

/**
 * The lease as found: null when there is none, or 'unreadable' (incomplete, damaged, another key: debris, most
 * likely) or 'newer' (a newer Pelote holds it, by rules this one may not know).
 */
export async function readLease(store: FolderStore, team: Team): Promise<Lease | null | 'unreadable' | 'newer'> {
  const bytes = await store.read(COMPACTION_LEASE);
  if (bytes === null) return null;
  try {
    const lease = leaseSchema.safeParse(JSON.parse(open(team.key, context(team), bytes).toString('utf8')));
    return lease.success ? lease.data : 'unreadable';
  } catch (err) {
    if (err instanceof CoreError && err.code === 'sync_file_newer_format') return 'newer';
    if (err instanceof CoreError && err.code !== 'sync_file_truncated' && err.code !== 'sync_file_corrupt') throw err;
    return 'unreadable';
  }
}

/**
 * Takes (or renews) the lease for `ttlMs` from `now`; true when this device holds it. An unreadable lease counts as
 * free: it would otherwise block compaction forever (after a key rotation, say), and two compactors lose nothing.
 */
export async function takeLease(
  store: FolderStore,
  team: Team,
  deviceId: string,
  now: Date,
  ttlMs: number,
  options: LeaseOptions = {},
): Promise<boolean> {
  checkDeviceId(deviceId);
  const current = await readLease(store, team);
  if (current === 'newer') return false;
  if (current !== null && current !== 'unreadable' && current.deviceId !== deviceId && Date.parse(current.expiresAt) > now.getTime()) return false;
  const mine: Lease = { deviceId, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
  await store.writeAtomic(COMPACTION_LEASE, seal(team.key, context(team), JSON.stringify(mine)));
  await new Promise((resolve) => setTimeout(resolve, options.confirmDelayMs ?? DEFAULT_CONFIRM_DELAY_MS));
  const after = await readLease(store, team);
  return after !== null && typeof after === 'object' && after.deviceId === deviceId && after.expiresAt === mine.expiresAt;
}

/**
 * Gives the lease up if this device holds it. Between the read and the removal another device could take an expired
 * lease and lose it here; it would then compact alongside, which loses nothing (see above).
 */
export async function releaseLease(store: FolderStore, team: Team, deviceId: string): Promise<void> {
  const current = await readLease(store, team);
  if (current !== null && typeof current === 'object' && current.deviceId === deviceId) await store.remove(COMPACTION_LEASE);
}
