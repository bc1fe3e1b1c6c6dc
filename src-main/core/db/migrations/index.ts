import type { Migration } from '../migrate';
import { foundation } from './0001_foundation';
import { membersDues } from './0002_members_dues';
import { serversHealth } from './0003_servers_health';
import { metrics } from './0004_metrics';
import { backups } from './0005_backups';
import { backupAfterCommands } from './0006_backup_after_commands';
import { sync } from './0007_sync';
import { syncServersBackups } from './0008_sync_servers_backups';
import { syncIncidents } from './0009_sync_incidents';
import { syncCellsCompact } from './0010_sync_cells_compact';
import { syncRotation } from './0011_sync_rotation';
import { syncFolderSize } from './0012_sync_folder_size';
import { sharedRepositoryPassword } from './0013_shared_repository_password';
import { conflictDismissals } from './0014_conflict_dismissals';
import { channels } from './0015_channels';

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [foundation, membersDues, serversHealth, metrics, backups, backupAfterCommands, sync, syncServersBackups, syncIncidents, syncCellsCompact, syncRotation, syncFolderSize, sharedRepositoryPassword, conflictDismissals, channels];
