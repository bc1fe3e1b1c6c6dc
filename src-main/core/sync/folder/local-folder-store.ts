// A team folder on a local path: a USB stick, a folder the Nextcloud client keeps in step, a network share.
import { link, lstat, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-files';
import {
  fileExists,
  finalPathComponents,
  folderMissing,
  folderUnreadable,
  folderUnwritable,
  pathComponents,
  temporaryName,
  type FolderStore,
} from './folder-store';
import { mapLimit } from './map-limit';

/** Filesystems without hard links (FAT on USB sticks, some shares): writeNew falls back to check-then-rename. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'unknown';

export function localFolderStore(root: string): FolderStore {
  const base = resolve(root);
  const full = (parts: string[]): string => join(base, ...parts);

  /** The root is checked, never created: an unplugged stick must not become an empty folder on the laptop's disk. */
  async function requireRoot(): Promise<void> {
    let isDir: boolean;
    try {
      isDir = (await stat(base)).isDirectory();
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') throw folderMissing(base);
      throw folderUnreadable(base, errnoOf(err));
    }
    if (!isDir) throw folderMissing(base);
  }

  async function write(path: string, bytes: Buffer, exclusive: boolean): Promise<void> {
    const target = full(finalPathComponents(path));
    await requireRoot();
    const tmp = join(dirname(target), temporaryName());
    let published = true;
    try {
      await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
      const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(bytes);
        await handle.sync(); // the rename must not publish a name whose bytes are still in the page cache
      } finally {
        await handle.close();
      }
      if (exclusive) published = await publishNew(tmp, target);
      else await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      if (errnoOf(err) === 'ENOENT') throw folderMissing(base); // the root went away while writing
      // A read-only mount (EROFS), a full disk or quota (ENOSPC, EDQUOT), permissions, a stick pulled out (EIO).
      throw folderUnwritable(target, errnoOf(err));
    }
    if (!published) {
      await unlink(tmp).catch(() => undefined);
      throw fileExists(base, path);
    }
    await syncDir(dirname(target));
  }

  return {
    async list(dir) {
      const path = full(pathComponents(dir, { root: true }));
      try {
        return await readdir(path);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT' && errnoOf(err) !== 'ENOTDIR') throw folderUnreadable(base, errnoOf(err));
        await requireRoot();
        return [];
      }
    },
    async read(path) {
      const file = full(pathComponents(path));
      try {
        return await readFile(file);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT' && errnoOf(err) !== 'ENOTDIR') throw folderUnreadable(base, errnoOf(err));
        await requireRoot();
        return null;
      }
    },
    writeAtomic: (path, bytes) => write(path, bytes, false),
    writeNew: (path, bytes) => write(path, bytes, true),
    async remove(path) {
      const file = full(pathComponents(path));
      try {
        await unlink(file);
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') return;
        throw folderUnwritable(base, errnoOf(err));
      }
    },
    async totalBytes() {
      await requireRoot();
      try {
        return await bytesUnder(base);
      } catch (err) {
        throw folderUnreadable(base, errnoOf(err));
      }
    },
    describe: () => base,
  };
}

/** Files that vanish while counted (another laptop compacting, a temporary file renamed) count for nothing. */
async function bytesUnder(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return 0;
    throw err;
  }
  const sizes = await mapLimit(entries, 16, async (entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return bytesUnder(path);
    if (!entry.isFile()) return 0;
    try {
      return (await lstat(path)).size;
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return 0;
      throw err;
    }
  });
  return sizes.reduce((sum, size) => sum + size, 0);
}

/**
 * Publishes `tmp` as `target` unless `target` exists (false then). link() refuses an existing name atomically, where
 * rename() would replace it.
 */
async function publishNew(tmp: string, target: string): Promise<boolean> {
  try {
    await link(tmp, target);
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(errnoOf(err))) throw err;
    // Without hard links the check and the rename are two steps; only this device writes under its own names.
    if (await exists(target)) return false;
    await rename(tmp, target);
    return true;
  }
  await unlink(tmp).catch(() => undefined); // published already: a leftover temporary name is only litter
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Makes the rename itself durable; best effort, as Windows cannot open a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported here: the file's own fsync already happened
  }
}
