// The folder a team shares, from the text a volunteer typed: a local path, or ssh://user@host[:port]/path on a server
// added in Pelote. Each use opens the store and ends it after: over SSH, an open SFTP session holds a pool slot.
import type { Core } from '../core';
import { localFolderStore, type FolderStore } from './folder';
import { withSshFolderStore } from './ssh-folder';

export function withFolderStore<T>(core: Core, folder: string, fn: (store: FolderStore) => Promise<T>): Promise<T> {
  if (folder.startsWith('/')) return fn(localFolderStore(folder));
  return withSshFolderStore(core, folder, fn);
}
