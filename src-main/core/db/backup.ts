import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreError } from '../errors';
import type { Db } from './open';

/** A consistent copy of the live database through SQLite's online backup API, safe while the app writes. */
export async function backupDatabase(db: Db, target: string): Promise<string> {
  const path = resolve(target);
  if (existsSync(path)) {
    throw new CoreError('file_exists', `Refusing to overwrite ${path}.`, { path });
  }
  try {
    await db.backup(path);
  } catch (error) {
    throw new CoreError('backup_failed', `Could not write the backup to ${path}: ${(error as Error).message}`, { path });
  }
  return path;
}
