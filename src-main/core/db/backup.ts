import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreError } from '../errors';
import { createPrivateFile } from '../private-files';
import type { Db } from './open';

/** A consistent copy of the live database through SQLite's online backup API, safe while the app writes. */
export async function backupDatabase(db: Db, target: string): Promise<string> {
  const path = resolve(target);
  const failed = (error: unknown) => new CoreError('backup_failed', `Could not write the backup to ${path}: ${(error as Error).message}`, { path });
  try {
    // Refuses an existing file (file_exists); the copy holds the register, so 0600 from its first byte.
    createPrivateFile(path);
  } catch (error) {
    throw error instanceof CoreError ? error : failed(error);
  }
  try {
    await db.backup(path);
  } catch (error) {
    rmSync(path, { force: true });
    throw failed(error);
  }
  return path;
}
