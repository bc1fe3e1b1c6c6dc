// The register holds members' personal data and the data directory holds secrets: no other local account may read
// them. Every file Pelote writes there, or exports with personal data, is 0600 in a 0700 directory.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { CoreError } from './errors';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

/** A file or directory whose mode Pelote tightened, with the mode it had. */
export interface ModeFixed {
  path: string;
  was: string;
}

function tighten(path: string, mode: number): ModeFixed | null {
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return null;
  chmodSync(path, mode);
  return { path, was: octal(current) };
}

/** Creates the directory 0700, or tightens an existing one that others could enter. */
export function ensurePrivateDir(dir: string): ModeFixed | null {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode passes through the umask, which can only remove bits; chmod makes sure of the rest.
    chmodSync(dir, PRIVATE_DIR_MODE);
    return null;
  }
  return tighten(dir, PRIVATE_DIR_MODE);
}

/** Tightens each existing file to 0600 (the database, its WAL and shared memory, copies). */
export function makePrivate(paths: string[]): ModeFixed[] {
  return paths.filter((p) => existsSync(p)).map((p) => tighten(p, PRIVATE_FILE_MODE)).filter((f) => f !== null);
}

/**
 * An empty 0600 file for SQLite to write into (VACUUM INTO, the online backup): SQLite would create it with the
 * umask's mode, readable by all, for the moment before a chmod.
 */
export function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CoreError('file_exists', `Refusing to overwrite ${path}.`, { path });
    throw error;
  }
}

/** Writes bytes to a 0600 file; an existing file is replaced only when `overwrite` says so. */
export function writePrivateFile(path: string, bytes: Uint8Array, options: { overwrite: boolean }): void {
  try {
    writeFileSync(path, bytes, { mode: PRIVATE_FILE_MODE, flag: options.overwrite ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CoreError('file_exists', `Refusing to overwrite ${path}.`, { path });
    throw error;
  }
  // An existing file keeps its mode through writeFile.
  chmodSync(path, PRIVATE_FILE_MODE);
}
