import type { Migration } from '../migrate';

/**
 * The team folder's size in bytes (every file in it, whoever wrote it), measured at each full sync so the Team & sync
 * page can say how much room it takes on the stick, the share or the server. Null until the first full sync.
 */
export const syncFolderSize: Migration = {
  version: 12,
  name: 'sync_folder_size',
  sql: `ALTER TABLE sync_team ADD COLUMN folder_bytes INTEGER CHECK (folder_bytes IS NULL OR folder_bytes >= 0);`,
};
