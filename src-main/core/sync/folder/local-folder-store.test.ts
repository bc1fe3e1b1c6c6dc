import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../testing/temp-core';
import type { FolderStore } from './folder-store';
import { localFolderStore } from './local-folder-store';
import { codeOf, folderStoreContract } from './testing/folder-store-contract';

const execFileAsync = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** Makes `dir` refuse new entries: its mode for anyone but root, the immutable attribute for root; null if neither. */
async function lock(dir: string): Promise<(() => Promise<unknown>) | null> {
  if (!isRoot) {
    await chmod(dir, 0o555);
    return () => chmod(dir, 0o755);
  }
  try {
    await execFileAsync('chattr', ['+i', dir]);
  } catch {
    return null;
  }
  return () => execFileAsync('chattr', ['-i', dir]);
}

describe('localFolderStore', () => {
  let temp: { dir: string; cleanup: () => void };
  let root: string;
  let store: FolderStore;

  beforeEach(async () => {
    temp = tempDataDir();
    root = join(temp.dir, 'team');
    await mkdir(root);
    store = localFolderStore(root);
  });

  afterEach(() => temp.cleanup());

  folderStoreContract(() => ({
    store,
    missingRoot: localFolderStore(join(temp.dir, 'unplugged-stick', 'team')),
    modeOf: async (path) => (await stat(join(root, path))).mode & 0o777,
    missingRootExists: () => Promise.resolve(existsSync(join(temp.dir, 'unplugged-stick'))),
  }));

  it('describes itself by its absolute path', () => {
    expect(store.describe()).toBe(root);
  });

  it('reports a folder it cannot write as sync_folder_unwritable, with the path, and leaves nothing behind', async ({ annotate }) => {
    const locked = join(root, 'devices');
    await mkdir(locked);
    const unlock = await lock(locked);
    if (unlock === null) {
      // Root without CAP_LINUX_IMMUTABLE (or a filesystem without the attribute): nothing can stop root's writes
      // here, so a file in the way stands in for the locked directory. The SFTP test covers a real read-only one.
      await annotate('root cannot make a directory read-only here: a file blocks the path instead');
      await rmdir(locked);
      await writeFile(locked, 'in the way');
    }
    try {
      const error = await store.writeNew('devices/0123456789abcdef/000000000001.seg', Buffer.from('x')).catch((err: unknown) => err);
      expect(error).toMatchObject({ code: 'sync_folder_unwritable', details: { folder: expect.stringContaining(locked) as unknown } });
      expect(await codeOf(store.writeAtomic('devices/head', Buffer.from('x')))).toBe('sync_folder_unwritable');
      if (unlock !== null) expect(await readdir(locked)).toEqual([]);
    } finally {
      await unlock?.();
    }
  });

  it('reports a path blocked by a file as sync_folder_unwritable', async () => {
    await writeFile(join(root, 'devices'), 'not a directory');
    expect(await codeOf(store.writeAtomic('devices/0123456789abcdef/head', Buffer.from('x')))).toBe('sync_folder_unwritable');
    expect(await store.list('devices')).toEqual([]);
  });

  it('reports a root that is a file as missing', async () => {
    await writeFile(join(temp.dir, 'file'), 'x');
    expect(await codeOf(localFolderStore(join(temp.dir, 'file')).list(''))).toBe('sync_folder_missing');
  });
});
