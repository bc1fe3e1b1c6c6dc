import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SyncStatus, TeamKeySheet } from '../../contract';
import { CoreError } from '../../core/errors';
import { createTeam, joinTeam, syncNow, syncStatus } from '../../core/sync/team-sync';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';
import { openCliCore } from '../open-cli-core';

/** A local folder is given as a path; ssh:// addresses pass as they are. */
const folderOf = (folder: string | undefined, usage: string): string => {
  if (!folder) throw new UsageError(usage);
  return folder.startsWith('ssh://') ? folder : resolve(folder);
};

const describeSheet = (sheet: TeamKeySheet): string =>
  [
    'TEAM KEY SHEET — print it and keep it with the association’s papers. Without it, a lost laptop cannot rejoin.',
    `  Team folder: ${sheet.folder}`,
    `  Team:        ${sheet.teamId}`,
    `  Created:     ${sheet.createdAt}`,
    `  Key:         ${sheet.key}`,
  ].join('\n');

function describeStatus(status: SyncStatus): string {
  if (!status.inTeam) return 'Not in a team. Create one with `pelote sync init FOLDER` or join with `pelote sync join FOLDER --key-file FILE`.';
  return [
    `Team folder: ${status.folder ?? ''}`,
    `Last synced: ${status.lastSyncAt ?? 'never'}${status.lastError ? ` — ${status.lastError.code}: ${status.lastError.message}` : ''}`,
    `Changes waiting: ${status.waiting}${status.held > 0 ? `; rows held from the team: ${status.held}` : ''}`,
    'Devices:',
    ...(status.devices.length === 0 ? ['  (none yet)'] : []),
    ...status.devices.map((d) => `  ${d.volunteerName || d.node}  seen ${d.lastSeenAt ?? 'never'}${d.problem ? `  ${d.problem.code}` : ''}`),
  ].join('\n');
}

/** `sync init|join|now|status`: exit 1 when a sync ended with an error (the changes stay queued). */
export async function syncCommand(ctx: CliContext, args: string[], options: { keyFile?: string }): Promise<number> {
  const [sub, folderArg] = args;
  const core = openCliCore(ctx, 'cli');
  try {
    switch (sub) {
      case 'init': {
        const folder = folderOf(folderArg, 'sync init needs a FOLDER');
        const sheet = await createTeam(core, { folder, keyFile: options.keyFile === undefined ? null : resolve(options.keyFile) });
        output(ctx, sheet, () => describeSheet(sheet));
        return 0;
      }
      case 'join': {
        const folder = folderOf(folderArg, 'sync join needs a FOLDER');
        if (options.keyFile === undefined) throw new UsageError('sync join needs --key-file FILE (the team key, as on the sheet)');
        const path = resolve(options.keyFile);
        let key: string;
        try {
          key = readFileSync(path, 'utf8').trim();
        } catch {
          throw new CoreError('file_not_found', `Cannot read the team key file ${path}.`, { path });
        }
        return report(ctx, await joinTeam(core, { folder, key, keyFile: null }));
      }
      case 'now':
        return report(ctx, await syncNow(core));
      case 'status':
        return report(ctx, syncStatus(core));
      default:
        throw new UsageError(sub ? `unknown sync command: ${sub}` : 'sync needs a command: init, join, now or status');
    }
  } finally {
    core.close();
  }
}

function report(ctx: CliContext, status: SyncStatus): number {
  output(ctx, status, () => describeStatus(status));
  return status.lastError ? 1 : 0;
}
