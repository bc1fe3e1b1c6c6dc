// The folder side of a key rotation (rotate-key.ts says why it goes this way): the steps the rotating laptop takes
// once the new key is kept here, and the re-sealing of a laptop's own segments that the new snapshot does not cover.
// Kept apart from rotate-key.ts so that every sync (team-sync.ts) can finish a rotation a crash interrupted.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Core } from '../core';
import { secretsDirIn } from '../data-dir';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import type { SecretSource } from '../secrets/kept-secret';
import { LEASE_MS, removeCoveredSegments, writeStateSnapshot } from './compaction';
import type { TeamRow } from './engine/team-clock';
import { snapshotHeader } from './engine/snapshot-state';
import {
  deviceDir,
  headPath,
  isTemporaryName,
  keyId,
  listSnapshots,
  open,
  openTeamFolder,
  readHeads,
  readLatestSnapshot,
  releaseLease,
  seal,
  segmentPath,
  segmentSeq,
  snapshotPath,
  takeLease,
  type FolderStore,
  type Team,
} from './folder';
import { rotateTeamFile } from './folder/team-folder';
import { resealTeamSecrets } from './team-secrets';

/** A rotation under way on this laptop (sync_team.rotation), from the moment the new key is kept until it is done. */
export interface PendingRotation {
  /** The device removed from the team. */
  node: string;
  /** Where the new key is kept (its sealed form, if any, is sync_team.rotation_key_sealed). */
  keySource: SecretSource;
  /** When it began (ISO-8601): the date the other laptops are told. */
  at: string;
  /** This laptop's volunteer name, as the other laptops are told. */
  by: string;
}

const pendingSchema = z.object({
  node: z.string(),
  keySource: z.union([z.object({ kind: z.literal('stored') }), z.object({ kind: z.literal('file'), path: z.string() })]),
  at: z.string(),
  by: z.string(),
});

/** The rotation columns of sync_team (migration 11), next to the engine's TeamRow. */
export type RotationRow = TeamRow & { rotation: string | null; rotation_key_sealed: Buffer | null; key_changed_at: string | null };

export const rotationRow = (core: Core): RotationRow | undefined =>
  core.db.prepare('select * from sync_team where id = 1').get() as RotationRow | undefined;

export function pendingRotation(core: Core): PendingRotation | null {
  const text = rotationRow(core)?.rotation ?? null;
  return text === null ? null : pendingSchema.parse(JSON.parse(text));
}

/**
 * Finishes the rotation this laptop began, from wherever it stopped: a snapshot and team.json for the new key (unless
 * team.json already names it), the old-key files removed, this laptop's uncovered segments re-sealed, and the new key
 * made this laptop's own. Throws, leaving the rotation to the next sync, when the folder cannot be reached or another
 * laptop holds the compaction lease.
 */
export async function finishRotation(core: Core, store: FolderStore, keys: { old: Buffer; new: Buffer }, rotation: PendingRotation): Promise<void> {
  const row = rotationRow(core);
  if (!row) return;
  const oldTeam: Team = { teamId: row.team_id, key: keys.old, keyId: keyId(keys.old) };
  const newTeam: Team = { teamId: row.team_id, key: keys.new, keyId: keyId(keys.new) };
  // Passwords shared with the team go into the snapshot sealed with the new key (the removed laptop knew them: changing
  // the passwords themselves is the volunteers' call).
  resealTeamSecrets(core, keys.old, keys.new);
  let covered: { name: string; cursors: Record<string, number> };
  if (await opens(store, keys.new)) {
    // team.json was rewritten before a stop: the newest snapshot says what is covered.
    const { snapshot } = await readLatestSnapshot(store, newTeam);
    if (!snapshot) throw new CoreError('sync_segment_missing', 'The team folder has no snapshot for the new key yet.', {});
    covered = { name: snapshot.name, cursors: snapshotHeader(snapshot.bytes).cursors };
  } else {
    await openTeamFolder(store, keys.old); // a wrong key, or another laptop's rotation, is said as such
    const now = core.clock.now();
    if (!(await takeLease(store, oldTeam, row.node, now, LEASE_MS))) {
      throw new CoreError('sync_folder_busy', 'Another computer is compacting the team folder: the key is changed once it is done.', {});
    }
    try {
      covered = await writeStateSnapshot(core, store, newTeam, row.node, now, rotation.node);
      await rotateTeamFile(store, oldTeam, keys.new, { rotatedAt: rotation.at, by: rotation.by, removed: [rotation.node] });
    } finally {
      await releaseLease(store, oldTeam, row.node);
    }
  }
  await removeOldKeyFiles(store, newTeam, covered, rotation.node);
  await resealOwnSegments(store, oldTeam, newTeam, row.node, covered.cursors[row.node] ?? 0);
  writeTransaction(core.db, () => {
    const removed = core.db.prepare('select volunteer_name from sync_peers where node = ?').pluck().get(rotation.node) as string | undefined;
    core.db
      .prepare(
        `update sync_team set key_source = ?, key_sealed = rotation_key_sealed, rotation = null, rotation_key_sealed = null,
         key_changed_at = ?, sheet_confirmed_at = null, last_error = null`,
      )
      .run(JSON.stringify(rotation.keySource), rotation.at);
    core.db.prepare('delete from sync_peers where node = ?').run(rotation.node);
    core.audit.record({
      entity: 'sync_device',
      entityId: rotation.node,
      action: 'delete',
      changes: { volunteerName: { from: removed ?? '', to: null }, keyId: { from: oldTeam.keyId, to: newTeam.keyId } },
    });
  });
  forgetRetiredKeyFile(core, JSON.parse(row.key_source) as SecretSource);
}

async function opens(store: FolderStore, key: Buffer): Promise<boolean> {
  try {
    await openTeamFolder(store, key);
    return true;
  } catch (error) {
    if (error instanceof CoreError && (error.code === 'sync_team_key_wrong' || error.code === 'sync_team_key_rotated')) return false;
    throw error;
  }
}

/**
 * Everything the old key sealed that the snapshot made useless: the segments it covers, every head that does not open
 * with the new key (each laptop rewrites its own), older snapshots, and all the removed device's files. A remaining
 * laptop's segments past the snapshot stay: that laptop re-seals them when it enters the new key.
 */
async function removeOldKeyFiles(store: FolderStore, team: Team, covered: { name: string; cursors: Record<string, number> }, removed: string): Promise<void> {
  await removeCoveredSegments(store, covered.cursors);
  for (const head of await readHeads(store, team)) {
    // Sealed with another key reads as corrupt; a newer Pelote's head or one still being copied is left alone.
    if ('code' in head && head.code === 'sync_file_corrupt' && head.device !== removed) await store.remove(headPath(head.device));
  }
  for (const older of (await listSnapshots(store)).filter((n) => n < covered.name)) await store.remove(snapshotPath(older));
  for (const name of await store.list(deviceDir(removed))) {
    if (segmentSeq(name) !== null || name === 'head' || isTemporaryName(name)) await store.remove(`${deviceDir(removed)}/${name}`);
  }
}

/**
 * This laptop's segments past what the new snapshot covers, still sealed with the old key (written before it heard of
 * the rotation, or while it happened): the same bytes sealed again with the new key, under the same name, so that the
 * others read them in order. One already re-sealed (a re-key stopped halfway) is left as it is.
 */
export async function resealOwnSegments(store: FolderStore, from: Team, to: Team, node: string, covered: number): Promise<number> {
  let resealed = 0;
  for (const name of await store.list(deviceDir(node))) {
    const seq = segmentSeq(name);
    if (seq === null || seq <= covered) continue;
    const path = segmentPath(node, seq);
    const bytes = await store.read(path);
    if (bytes === null) continue;
    const context = { teamId: to.teamId, kind: 'segment', path } as const;
    try {
      open(to.key, context, bytes);
      continue;
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
    }
    // Neither key opens it: the re-key stops here, with this laptop still on the old key, rather than lose it.
    await store.writeAtomic(path, seal(to.key, context, open(from.key, context, bytes)));
    resealed += 1;
  }
  return resealed;
}

/** The retired key's file, when Pelote made it in the data directory; one the volunteer named is theirs to remove. */
export function forgetRetiredKeyFile(core: Core, source: SecretSource): void {
  if (source.kind === 'file' && dirname(resolve(source.path)) === resolve(secretsDirIn(core.dataDir))) rmSync(source.path, { force: true });
}
