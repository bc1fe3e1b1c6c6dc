// The behaviour every FolderStore shares, run against the local and the SFTP store.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { FolderStore } from '../folder-store';

export interface ContractFixture {
  store: FolderStore;
  /** A store whose root does not exist. */
  missingRoot: FolderStore;
  /** Permission bits of a path under the root, as the server's filesystem has them. */
  modeOf: (path: string) => Promise<number>;
  /** Whether the missing root has appeared. */
  missingRootExists: () => Promise<boolean>;
}

export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code ?? `not a CoreError: ${String(err)}`;
  }
  return 'no error';
}

export function folderStoreContract(fixture: () => ContractFixture): void {
  it('lists nothing and reads null where nothing is', async () => {
    const { store } = fixture();
    expect(await store.list('')).toEqual([]);
    expect(await store.list('devices/0123456789abcdef')).toEqual([]);
    expect(await store.read('team.json')).toBeNull();
    expect(await store.read('devices/0123456789abcdef/head')).toBeNull();
  });

  it('writes atomically, creating directories 0700 and files 0600, and leaves no temporary file', async () => {
    const { store, modeOf } = fixture();
    const bytes = randomBytes(1024 * 1024 + 7); // several SFTP writes in flight
    await store.writeAtomic('a/b/file.bin', bytes);
    expect((await store.read('a/b/file.bin'))?.equals(bytes)).toBe(true);
    expect(await store.list('a/b')).toEqual(['file.bin']);
    expect(await store.list('')).toEqual(['a']);
    expect(await modeOf('a')).toBe(0o700);
    expect(await modeOf('a/b')).toBe(0o700);
    expect(await modeOf('a/b/file.bin')).toBe(0o600);
    await store.writeAtomic('a/b/file.bin', Buffer.from('replaced'));
    expect((await store.read('a/b/file.bin'))?.toString()).toBe('replaced');
    await store.writeAtomic('a/b/empty', Buffer.alloc(0));
    expect((await store.read('a/b/empty'))?.length).toBe(0);
    expect((await store.list('a/b')).sort()).toEqual(['empty', 'file.bin']);
  });

  it('writeNew refuses an existing name and keeps the first file', async () => {
    const { store } = fixture();
    await store.writeNew('s/1.seg', Buffer.from('first'));
    expect(await codeOf(store.writeNew('s/1.seg', Buffer.from('second')))).toBe('sync_folder_file_exists');
    expect((await store.read('s/1.seg'))?.toString()).toBe('first');
    expect(await store.list('s')).toEqual(['1.seg']);
  });

  it('removes files, a missing one being fine', async () => {
    const { store } = fixture();
    await store.writeAtomic('r/x', Buffer.from('x'));
    await store.remove('r/x');
    await store.remove('r/x');
    await store.remove('nowhere/x');
    expect(await store.read('r/x')).toBeNull();
    expect(await store.list('r')).toEqual([]);
  });

  it('refuses paths that leave the root or could be read as options', async () => {
    const { store } = fixture();
    for (const path of ['../x', '/etc/passwd', 'a/../../x', '-rf', 'a/-b', 'a//b', 'a/', './a', 'a\\..\\b', '']) {
      expect(await codeOf(store.read(path)), path).toBe('internal');
      expect(await codeOf(store.writeAtomic(path, Buffer.from('x'))), path).toBe('internal');
      expect(await codeOf(store.remove(path)), path).toBe('internal');
    }
    expect(await codeOf(store.list('..'))).toBe('internal');
    expect(await codeOf(store.writeNew('a/.tmp-123', Buffer.from('x')))).toBe('internal');
    expect(await store.list('')).toEqual([]);
  });

  it('says the folder is missing, and never creates it, when its root is gone', async () => {
    const { missingRoot, missingRootExists } = fixture();
    expect(await codeOf(missingRoot.list(''))).toBe('sync_folder_missing');
    expect(await codeOf(missingRoot.list('devices'))).toBe('sync_folder_missing');
    expect(await codeOf(missingRoot.read('team.json'))).toBe('sync_folder_missing');
    expect(await codeOf(missingRoot.writeAtomic('devices/x/head', Buffer.from('x')))).toBe('sync_folder_missing');
    expect(await codeOf(missingRoot.writeNew('team.json', Buffer.from('x')))).toBe('sync_folder_missing');
    expect(await missingRootExists()).toBe(false);
  });
}
