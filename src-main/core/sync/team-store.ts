// The folder a team shares, from the text a volunteer typed: a local path now; an ssh:// folder goes through the
// SSH pool's SFTP once the pool opens SFTP channels.
import { CoreError } from '../errors';
import { localFolderStore, type FolderStore } from './folder';

export function folderStore(folder: string): FolderStore {
  if (folder.startsWith('/')) return localFolderStore(folder);
  throw new CoreError('sync_folder_unsupported', `Team folders over SSH are not available in this version: ${folder}`, { folder });
}
