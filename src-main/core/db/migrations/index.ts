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

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [foundation, membersDues, serversHealth, metrics, backups, backupAfterCommands, sync, syncServersBackups, syncIncidents];
