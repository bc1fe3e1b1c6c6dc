import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE_NAME } from './paths';
import { createPrivateFile, ensurePrivateDir, makePrivate, type ModeFixed } from './private-files';

/** Where Pelote keeps secrets it could not seal (restic passwords on the CLI and the browser host). */
export const secretsDirIn = (dataDir: string): string => join(dataDir, 'secrets');

/**
 * Before the database opens: the data directory 0700; the database, its WAL and shared memory, and the copies kept
 * before migrations 0600; the secrets folder likewise. Returns what had to be tightened, for the face to say so.
 */
export function secureDataDir(dataDir: string): ModeFixed[] {
  const fixed: ModeFixed[] = [];
  const dir = ensurePrivateDir(dataDir);
  if (dir) fixed.push(dir);
  // SQLite creates its WAL and shared-memory files with the database file's mode, so a 0600 file first.
  if (!existsSync(join(dataDir, DB_FILE_NAME))) createPrivateFile(join(dataDir, DB_FILE_NAME));
  fixed.push(...makePrivate(readdirSync(dataDir).filter((name) => name.startsWith(DB_FILE_NAME)).map((name) => join(dataDir, name))));
  const secrets = secretsDirIn(dataDir);
  if (existsSync(secrets)) {
    const secretsDir = ensurePrivateDir(secrets);
    if (secretsDir) fixed.push(secretsDir);
    fixed.push(...makePrivate(readdirSync(secrets).map((name) => join(secrets, name))));
  }
  return fixed;
}
