// Whether this laptop is in a team, and its clock when it is: loaded when the core opens, so every face (the app,
// the CLI from cron, the browser host) captures its changes.
import type { Db } from '../../db/open';
import { writeTransaction } from '../../db/write-transaction';
import { captureExistingRows, installCaptureTriggers, setCaptureClock } from './capture';
import { DeviceClock, type Trie } from './device-clock';

export interface TeamRow {
  team_id: string;
  node: string;
  folder: string;
  key_source: string;
  next_seq: number;
  clock: string;
  merkle: string;
  key_sealed: Buffer | null;
  joined_at: string;
  sheet_confirmed_at: string | null;
  last_sync_at: string | null;
  last_error: string | null;
}

export const teamRow = (db: Db): TeamRow | undefined => db.prepare('select * from sync_team where id = 1').get() as TeamRow | undefined;

export function startCapture(db: Db): void {
  const refreshed = installCaptureTriggers(db, (work) => writeTransaction(db, work));
  const team = teamRow(db);
  setCaptureClock(db, team ? new DeviceClock(team.node, team.clock, JSON.parse(team.merkle) as Trie) : null);
  // A newer Pelote shares more (servers and backups since migration 8): what this laptop of a team already held
  // there, and the team has never seen, goes out now, as at a join.
  if (team && refreshed) writeTransaction(db, () => captureExistingRows(db, 'unknown'));
}
