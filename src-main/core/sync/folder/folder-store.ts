// The team folder as the sync layer sees it: a few file operations on paths relative to the folder's root, so that a
// local path (USB stick, a Nextcloud-synced folder, a network share) and a directory reached over SFTP behave alike.
import { randomBytes } from 'node:crypto';
import { CoreError } from '../../errors';

export interface FolderStore {
  /** Names in `dir` ('' is the root), temporary ones included; [] when `dir` does not exist. */
  list(dir: string): Promise<string[]>;
  /** The file's bytes, or null when it does not exist. */
  read(path: string): Promise<Buffer | null>;
  /** Writes under a temporary name in the same directory, syncs where possible, then renames over `path`. */
  writeAtomic(path: string, bytes: Buffer): Promise<void>;
  /** Like writeAtomic, but fails with 'sync_folder_file_exists' when `path` exists: segments are immutable. */
  writeNew(path: string, bytes: Buffer): Promise<void>;
  /** Removes a file; a missing one is fine. */
  remove(path: string): Promise<void>;
  /**
   * The bytes of every file under the root, temporary ones included (they take room too); symbolic links are not
   * followed. One listing per directory: for a full sync, not for the poll.
   */
  totalBytes(): Promise<number>;
  /** Where the folder is, for messages: a path or an ssh:// URL. */
  describe(): string;
}

/** Prefix of files being written: readers skip them, and they never collide with a final name. */
export const TEMP_PREFIX = '.tmp-';

export const isTemporaryName = (name: string): boolean => name.startsWith(TEMP_PREFIX);

export const temporaryName = (): string => `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`;

/**
 * The path's components, after refusing anything that could leave the root or reach a program's options: absolute
 * paths, `.` and `..`, backslashes (a separator on Windows), empty components and names starting with '-'.
 * `root: true` accepts '' for the folder itself.
 */
export function pathComponents(path: string, { root = false }: { root?: boolean } = {}): string[] {
  if (path === '' && root) return [];
  const parts = path.split('/');
  const bad = parts.some((part) => part === '' || part === '.' || part === '..' || part.startsWith('-') || /[\\\0]/.test(part));
  if (bad) throw new CoreError('internal', `Refusing the team folder path ${JSON.stringify(path)}.`, { path });
  return parts;
}

/** A final name may not look like a temporary one, or readers would skip it. */
export function finalPathComponents(path: string): string[] {
  const parts = pathComponents(path);
  if (isTemporaryName(parts[parts.length - 1] ?? '')) {
    throw new CoreError('internal', `Refusing to write a temporary name as a final file: ${path}.`, { path });
  }
  return parts;
}

export function folderMissing(where: string): CoreError {
  return new CoreError('sync_folder_missing', `The team folder ${where} does not exist or is not mounted.`, { folder: where });
}

export function folderUnwritable(where: string, reason: string): CoreError {
  return new CoreError('sync_folder_unwritable', `Cannot write to the team folder ${where} (${reason}).`, { folder: where, reason });
}

export function folderUnreadable(where: string, reason: string): CoreError {
  return new CoreError('sync_folder_unreadable', `Cannot read the team folder ${where} (${reason}).`, { folder: where, reason });
}

export function fileExists(where: string, path: string): CoreError {
  return new CoreError('sync_folder_file_exists', `${path} already exists in the team folder ${where}.`, { folder: where, path });
}

export function folderUnreachable(where: string, reason: string): CoreError {
  return new CoreError('sync_folder_unreachable', `The team folder ${where} cannot be reached (${reason}).`, { folder: where, reason });
}
