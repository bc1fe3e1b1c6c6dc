import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DB_FILE_NAME = 'pelote.sqlite3';

/** CLI and browser host: `--data-dir`, else PELOTE_DATA_DIR, else $XDG_DATA_HOME/pelote. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env.PELOTE_DATA_DIR) return resolve(env.PELOTE_DATA_DIR);
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'pelote');
}

export const dbPathIn = (dataDir: string): string => join(dataDir, DB_FILE_NAME);
