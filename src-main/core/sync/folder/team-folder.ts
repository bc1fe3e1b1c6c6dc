// team.json: the one clear-text file, naming the team and the key that opens it, with no personal data. Its sealed
// check lets a joining laptop tell "this key does not open this folder" from "this is not a team folder". After a key
// rotation it also lists the retired key ids, each with a notice (when, by whom) sealed with that retired key: only a
// laptop holding it reads who changed the key, and it is told "the key was changed", not "wrong key".
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CoreError } from '../../errors';
import type { FolderStore } from './folder-store';
import { DEVICES_DIR, LEASES_DIR, SNAPSHOTS_DIR, TEAM_FILE } from './layout';
import { open, seal } from './sealed-file';
import { keyId, parseTeamKey } from './team-key';

/** An opened team folder: what every other operation needs. */
export interface Team {
  readonly teamId: string;
  readonly key: Buffer;
  readonly keyId: string;
}

export const TEAM_FOLDER_FORMAT = 'pelote-team-folder';
export const TEAM_FOLDER_VERSION = 1;
const CHECK_TEXT = 'pelote';

const keyIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

const teamFileSchema = z.object({
  format: z.literal(TEAM_FOLDER_FORMAT),
  version: z.literal(TEAM_FOLDER_VERSION),
  teamId: z.uuid(),
  keyId: keyIdSchema,
  createdAt: z.string(),
  check: z.base64(),
  // Optional: a Pelote that predates rotation reads the file as before.
  retired: z.array(z.object({ keyId: keyIdSchema, notice: z.base64() })).optional(),
});

/** What a retired key's notice says, sealed with that key. */
export interface RotationNotice {
  /** ISO-8601. */
  rotatedAt: string;
  /** The volunteer name of the laptop that changed the key ('' when it has none). */
  by: string;
  /** The devices removed from the team by this rotation. */
  removed: string[];
}

const noticeSchema = z.object({ rotatedAt: z.string(), by: z.string(), removed: z.array(z.string()) });

type TeamFile = z.infer<typeof teamFileSchema>;

const checkContext = (teamId: string) => ({ teamId, kind: 'check', path: TEAM_FILE }) as const;
/** A notice is bound to its own key id, so one retired key's notice cannot be passed off as another's. */
const noticeContext = (teamId: string, retiredKeyId: string) => ({ teamId, kind: 'check', path: `${TEAM_FILE}#retired-${retiredKeyId}` }) as const;

/**
 * Makes `store` a new team's folder. Refused where a team already is, including a folder whose team.json has not
 * arrived yet but whose devices/ or snapshots/ have (a sync client still filling it).
 */
export async function initTeamFolder(store: FolderStore, key: Buffer, now: Date): Promise<Team> {
  const names = new Set(await store.list(''));
  if ([TEAM_FILE, DEVICES_DIR, SNAPSHOTS_DIR, LEASES_DIR].some((name) => names.has(name))) throw teamExists(store);
  const teamId = randomUUID();
  const file: TeamFile = {
    format: TEAM_FOLDER_FORMAT,
    version: TEAM_FOLDER_VERSION,
    teamId,
    keyId: keyId(key),
    createdAt: now.toISOString(),
    check: seal(key, checkContext(teamId), CHECK_TEXT).toString('base64'),
  };
  try {
    await store.writeNew(TEAM_FILE, Buffer.from(`${JSON.stringify(file, null, 2)}\n`));
  } catch (err) {
    if (err instanceof CoreError && err.code === 'sync_folder_file_exists') throw teamExists(store); // another laptop won
    throw err;
  }
  return { teamId, key, keyId: file.keyId };
}

/** Opens a team folder with its key (as typed from the sheet, or as bytes). */
export async function openTeamFolder(store: FolderStore, key: string | Buffer): Promise<Team> {
  const bytes = typeof key === 'string' ? parseTeamKey(key) : key; // a typo is named before the folder is read
  const file = parseTeamFile(store, await store.read(TEAM_FILE));
  if (file.keyId !== keyId(bytes)) {
    const notice = retiredNotice(file, bytes);
    if (notice) {
      throw new CoreError('sync_team_key_rotated', `The team key was changed on ${notice.rotatedAt} (by ${notice.by || 'another laptop'}): enter the new team key sheet.`, {
        folder: store.describe(),
        rotatedAt: notice.rotatedAt,
        by: notice.by,
      });
    }
    throw new CoreError('sync_team_key_wrong', `This key does not open the team folder ${store.describe()}.`, { folder: store.describe() });
  }
  const opened = open(bytes, checkContext(file.teamId), Buffer.from(file.check, 'base64')).toString('utf8');
  if (opened !== CHECK_TEXT) throw new CoreError('sync_file_corrupt', `${TEAM_FILE} in the team folder is damaged.`, { path: TEAM_FILE });
  return { teamId: file.teamId, key: bytes, keyId: file.keyId };
}

/** The notice of `key` when team.json lists it as retired and the notice opens with it; null otherwise. */
function retiredNotice(file: TeamFile, key: Buffer): RotationNotice | null {
  const id = keyId(key);
  const entry = file.retired?.find((r) => r.keyId === id);
  if (!entry) return null;
  try {
    const notice = noticeSchema.safeParse(JSON.parse(open(key, noticeContext(file.teamId, id), Buffer.from(entry.notice, 'base64')).toString('utf8')));
    return notice.success ? notice.data : null;
  } catch {
    return null; // not sealed with that key: not a rotation this laptop can trust
  }
}

/** The notice of `oldKey`, or null: a re-keying laptop reads it to learn which devices were removed. */
export async function readRotationNotice(store: FolderStore, oldKey: Buffer): Promise<RotationNotice | null> {
  return retiredNotice(parseTeamFile(store, await store.read(TEAM_FILE)), oldKey);
}

/**
 * Rewrites team.json for `newKey`: the check sealed with it, and `from`'s key id added to the retired ones with its
 * notice. Atomic (a rename): a reader sees the old file or the new one. The caller holds the new key safely first.
 */
export async function rotateTeamFile(store: FolderStore, from: Team, newKey: Buffer, notice: RotationNotice): Promise<Team> {
  const file = parseTeamFile(store, await store.read(TEAM_FILE));
  if (file.teamId !== from.teamId) throw new CoreError('sync_other_team', `${store.describe()} now holds another team.`, { folder: store.describe() });
  if (file.keyId === keyId(newKey)) return { teamId: file.teamId, key: newKey, keyId: file.keyId }; // done before a crash
  // Another laptop rotated meanwhile: its key wins, and this laptop is told as any other holding the old key.
  if (file.keyId !== from.keyId) await openTeamFolder(store, from.key);
  const sealedNotice = seal(from.key, noticeContext(file.teamId, from.keyId), JSON.stringify(notice)).toString('base64');
  const next: TeamFile = {
    ...file,
    keyId: keyId(newKey),
    check: seal(newKey, checkContext(file.teamId), CHECK_TEXT).toString('base64'),
    retired: [...(file.retired ?? []).filter((r) => r.keyId !== from.keyId && r.keyId !== keyId(newKey)), { keyId: from.keyId, notice: sealedNotice }],
  };
  await store.writeAtomic(TEAM_FILE, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
  return { teamId: file.teamId, key: newKey, keyId: next.keyId };
}

function parseTeamFile(store: FolderStore, bytes: Buffer | null): TeamFile {
  const notTeam = (reason: string): CoreError =>
    new CoreError('sync_not_team_folder', `${store.describe()} is not a Pelote team folder (${reason}).`, { folder: store.describe(), reason });
  if (bytes === null) throw notTeam(`no ${TEAM_FILE}`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw notTeam(`${TEAM_FILE} is not JSON`);
  }
  const head = z.object({ format: z.literal(TEAM_FOLDER_FORMAT), version: z.number().int().min(1) }).safeParse(json);
  if (!head.success) throw notTeam(`${TEAM_FILE} is not a team description`);
  if (head.data.version > TEAM_FOLDER_VERSION) {
    throw new CoreError('sync_folder_newer', `A newer Pelote made the team folder ${store.describe()}: update Pelote.`, {
      folder: store.describe(),
      version: head.data.version,
    });
  }
  const file = teamFileSchema.safeParse(json);
  if (!file.success) throw notTeam(`${TEAM_FILE} is incomplete`);
  return file.data;
}

function teamExists(store: FolderStore): CoreError {
  return new CoreError('sync_team_exists', `The folder ${store.describe()} already holds a team.`, { folder: store.describe() });
}
