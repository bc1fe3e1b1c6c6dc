// team.json: the one clear-text file, naming the team and the key that opens it, with no personal data. Its sealed
// check lets a joining laptop tell "this key does not open this folder" from "this is not a team folder".
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

const teamFileSchema = z.object({
  format: z.literal(TEAM_FOLDER_FORMAT),
  version: z.literal(TEAM_FOLDER_VERSION),
  teamId: z.uuid(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  createdAt: z.string(),
  check: z.base64(),
});

type TeamFile = z.infer<typeof teamFileSchema>;

const checkContext = (teamId: string) => ({ teamId, kind: 'check', path: TEAM_FILE }) as const;

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
    throw new CoreError('sync_team_key_wrong', `This key does not open the team folder ${store.describe()}.`, { folder: store.describe() });
  }
  const opened = open(bytes, checkContext(file.teamId), Buffer.from(file.check, 'base64')).toString('utf8');
  if (opened !== CHECK_TEXT) throw new CoreError('sync_file_corrupt', `${TEAM_FILE} in the team folder is damaged.`, { path: TEAM_FILE });
  return { teamId: file.teamId, key: bytes, keyId: file.keyId };
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
