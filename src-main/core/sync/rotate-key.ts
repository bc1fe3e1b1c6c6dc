// Removing a device from the team, which rotates the team key: the removed laptop keeps the old key, so it must open
// nothing written from now on, while every other laptop loses nothing.
//
// The rotating laptop (removeDevice), as the one sync in flight here:
// 1. Syncs: everything the folder holds that it can read is then in its tables. It refuses when the removed device's
//    segments are not all read (a file still being copied, its clock ahead): those files go with the device.
// 2. Keeps a new random key like the first one (keychain or 0600 file) and records the rotation as under way
//    (sync_team.rotation, migration 11) *before* the folder names the key, so no stop leaves it sealed with a key
//    nobody holds. Every sync finishes a rotation under way first (key-rotation.ts), so a crash or the folder going
//    away in the middle is finished at the next sync.
// 3. Holding the compaction lease: a snapshot of the whole state sealed with the new key (the removed device's
//    cursor left out), then team.json rewritten for the new key — one atomic rename. team.json keeps the retired key's
//    id with a notice (when, by whom, who was removed) sealed with that old key: a laptop holding it is told "the team
//    key was changed on … by …" (sync_team_key_rotated), not "wrong key"; nobody else reads the notice.
// 4. Removes what the old key sealed and the snapshot covers: covered segments, heads, older snapshots, all of the
//    removed device's files. A remaining laptop's segments *past* the snapshot (pushed after this laptop's pull, or
//    while the rotation happened: it could not know) stay, still sealed with the old key: the only old-key files left,
//    and only until that laptop enters the new key.
// 5. Switches to the new key, audits the removal, and shows the new key sheet until confirmed (as after create).
//
// A remaining laptop still on the old key: its sync fails with sync_team_key_rotated, its changes stay queued. When the
// volunteer enters the new key (rekey), it opens the folder with it, applies the new snapshot (the same merge as any
// catch-up, so what it holds and the folder lacks is kept), re-seals its own segments past the snapshot's cursor with
// the new key under the same names (so the others read them in order, and nothing it pushed before learning of the
// rotation is lost), forgets the removed devices named in the notice, switches key and syncs: its queue goes out.
//
// The removed laptop: its sync fails with the same "key changed" message; every file written since is sealed with a
// key it never had. It is removed as a device, not stopped: what it holds stays on it.
import type { SyncStatus, TeamKeySheet } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { forgetWritten, keepSecret, type SecretSource } from '../secrets/kept-secret';
import { loadDevice } from '../settings/device';
import { applyLatestSnapshot } from './compaction';
import { deviceDir, formatTeamKey, generateTeamKey, keyId, openTeamFolder, parseTeamKey, segmentSeq, type Team } from './folder';
import { readRotationNotice } from './folder/team-folder';
import { forgetRetiredKeyFile, pendingRotation, resealOwnSegments, type PendingRotation } from './key-rotation';
import { resealTeamSecrets } from './team-secrets';
import { asTheSync, KEY_CODES, keyText, requireTeam, syncOnce, teamSheet } from './team-sync';
import { withFolderStore } from './team-store';

const failed = (status: SyncStatus): CoreError | null =>
  status.lastError ? new CoreError(status.lastError.code, status.lastError.message, status.lastError.details) : null;

/** Removes `node` from the team and rotates the key; the new key sheet, to print and hand to every other volunteer. */
export async function removeDevice(core: Core, input: { node: string; keyFile: string | null }): Promise<TeamKeySheet> {
  const row = requireTeam(core);
  if (input.node === row.node) throw new CoreError('sync_remove_self', 'This computer cannot remove itself from the team.', {});
  return asTheSync(core, async () => {
    const under = pendingRotation(core);
    if (under !== null && under.node !== input.node) {
      throw new CoreError('sync_rotation_unfinished', 'Removing another computer is not finished yet: sync first.', { node: under.node });
    }
    if (under === null) {
      const synced = await syncOnce(core);
      const error = failed(synced);
      if (error) throw error;
      const peer = core.db.prepare('select volunteer_name, last_seq, problem from sync_peers where node = ?').get(input.node) as
        | { volunteer_name: string; last_seq: number; problem: string | null }
        | undefined;
      if (!peer) throw new CoreError('sync_device_unknown', `No computer ${input.node} in this team.`, { node: input.node });
      await withFolderStore(core, row.folder, async (store) => {
        const unread = (await store.list(deviceDir(input.node))).some((name) => (segmentSeq(name) ?? 0) > peer.last_seq);
        if (unread || peer.problem !== null) {
          throw new CoreError('sync_remove_unread', `Not all of ${peer.volunteer_name || input.node}'s changes could be read yet: try again later.`, {
            name: peer.volunteer_name || input.node,
          });
        }
      });
      beginRotation(core, input.node, input.keyFile);
    }
    // The sync finishes the rotation first (key-rotation.ts), then syncs under the new key.
    const error = failed(await syncOnce(core));
    if (error) throw error;
    return teamSheet(core);
  });
}

/** The new key kept and the rotation recorded as under way, in one transaction with the key's safekeeping undone on failure. */
export function beginRotation(core: Core, node: string, keyFile: string | null): void {
  const key = generateTeamKey();
  const kept = keepSecret(core, formatTeamKey(key), { file: keyFile, defaultFileName: `team-${keyId(key)}.key`, codes: KEY_CODES });
  const rotation: PendingRotation = { node, keySource: kept.source, at: isoNow(core.clock), by: loadDevice(core.db, core.clock).volunteerName };
  try {
    writeTransaction(core.db, () => {
      core.db.prepare('update sync_team set rotation = ?, rotation_key_sealed = ?').run(JSON.stringify(rotation), kept.sealed);
    });
  } catch (error) {
    forgetWritten(kept);
    throw error;
  }
}

/** Enters the new team key after another laptop rotated it: catch up, re-seal what this laptop pushed meanwhile, sync. */
export async function rekey(core: Core, input: { key: string; keyFile: string | null }): Promise<SyncStatus> {
  const row = requireTeam(core);
  const key = parseTeamKey(input.key); // a typo is named before anything is read
  const old = parseTeamKey(keyText(core, row));
  if (keyId(key) === keyId(old)) throw new CoreError('sync_key_unchanged', 'This computer already uses this team key.', {});
  return asTheSync(core, async () => {
    await withFolderStore(core, row.folder, async (store) => {
      const team = await openTeamFolder(store, key);
      if (team.teamId !== row.team_id) throw new CoreError('sync_other_team', `${row.folder} now holds another team.`, { folder: row.folder });
      const oldTeam: Team = { teamId: team.teamId, key: old, keyId: keyId(old) };
      // Null when this laptop's key is older than the last rotation's: the devices removed then are not named to it.
      const notice = await readRotationNotice(store, old);
      if (notice?.removed.includes(row.node)) {
        throw new CoreError('sync_device_removed', 'This computer was removed from the team: its changes no longer reach the team folder.', {});
      }
      const covered = (await applyLatestSnapshot(core, store, team)) ?? {};
      await resealOwnSegments(store, oldTeam, team, row.node, covered[row.node] ?? 0);
      const kept = keepSecret(core, formatTeamKey(key), { file: input.keyFile, defaultFileName: `team-${team.keyId}.key`, codes: KEY_CODES });
      try {
        writeTransaction(core.db, () => {
          core.db
            .prepare('update sync_team set key_source = ?, key_sealed = ?, key_changed_at = ?, last_error = null')
            .run(JSON.stringify(kept.source), kept.sealed, isoNow(core.clock));
          const forget = core.db.prepare('delete from sync_peers where node = ?');
          for (const node of notice?.removed ?? []) if (node !== row.node) forget.run(node);
          resealTeamSecrets(core, old, key); // shared while this laptop did not know of the rotation
          core.audit.record({ entity: 'sync', entityId: team.teamId, action: 'update', changes: { keyId: { from: oldTeam.keyId, to: team.keyId } } });
        });
      } catch (error) {
        forgetWritten(kept);
        throw error;
      }
      forgetRetiredKeyFile(core, JSON.parse(row.key_source) as SecretSource);
    });
    return syncOnce(core);
  });
}
