import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { SyncStatus, TeamKeySheet } from '../../contract';
import { joinArgsSchema } from '../../contract/sync';
import { CoreError } from '../../core/errors';
import { rekey, removeDevice } from '../../core/sync/rotate-key';
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

/** 1234567 → "1.2 MB (1234567 bytes)": decimal units, as the app shows them. */
function describeBytes(bytes: number): string {
  const power = Math.min(4, Math.floor(Math.log10(Math.max(bytes, 1)) / 3));
  return power === 0 ? `${bytes} bytes` : `${(bytes / 1000 ** power).toFixed(1)} ${['kB', 'MB', 'GB', 'TB'][power - 1]} (${bytes} bytes)`;
}

function describeStatus(status: SyncStatus): string {
  if (!status.inTeam) return 'Not in a team. Create one with `pelote sync init FOLDER` or join with `pelote sync join FOLDER --key-file FILE`.';
  return [
    `Team folder: ${status.folder ?? ''}`,
    `Last synced: ${status.lastSyncAt ?? 'never'}${status.lastError ? ` — ${status.lastError.code}: ${status.lastError.message}` : ''}`,
    `Changes waiting: ${status.waiting}${status.held > 0 ? `; rows held from the team: ${status.held}` : ''}`,
    `Folder size: ${status.folderBytes === null ? 'measured at the next sync' : describeBytes(status.folderBytes)}`,
    'Devices:',
    ...(status.devices.length === 0 ? ['  (none yet)'] : []),
    ...status.devices.map((d) => `  ${d.volunteerName || d.node}  seen ${d.lastSeenAt ?? 'never'}${d.problem ? `  ${d.problem.code}` : ''}`),
  ].join('\n');
}

export interface SyncOptions {
  keyFile?: string;
  /** join: this laptop's SSH key and the server's host key fingerprint, for a server Pelote does not know yet. */
  identity?: string;
  fingerprint?: string;
  /** join: where that key's passphrase is. */
  passphraseFile?: string;
  passphraseEnv?: string;
}

/** `sync init|join|now|status|remove-device|rekey`: exit 1 when a sync ended with an error (the changes stay queued). */
export async function syncCommand(ctx: CliContext, args: string[], options: SyncOptions): Promise<number> {
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
        return report(ctx, await joinTeam(core, joinArgs(folder, readKeyFile(options.keyFile), options)));
      }
      case 'remove-device': {
        if (!folderArg) throw new UsageError('sync remove-device needs a NODE (the computer’s id or its volunteer name)');
        const node = deviceNode(syncStatus(core), folderArg);
        const sheet = await removeDevice(core, { node, keyFile: options.keyFile === undefined ? null : resolve(options.keyFile) });
        output(ctx, sheet, () => describeSheet(sheet));
        return 0;
      }
      case 'rekey':
        if (options.keyFile === undefined) throw new UsageError('sync rekey needs --key-file FILE (the new team key, as on the new sheet)');
        return report(ctx, await rekey(core, { key: readKeyFile(options.keyFile), keyFile: null }));
      case 'now':
        return report(ctx, await syncNow(core));
      case 'status':
        return report(ctx, syncStatus(core));
      default:
        throw new UsageError(sub ? `unknown sync command: ${sub}` : 'sync needs a command: init, join, now, status, remove-device or rekey');
    }
  } finally {
    core.close();
  }
}

function readKeyFile(file: string): string {
  const path = resolve(file);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new CoreError('file_not_found', `Cannot read the team key file ${path}.`, { path });
  }
}

/** A computer of the team by its node id, else by its volunteer name when only one has it. */
function deviceNode(status: SyncStatus, given: string): string {
  if (status.devices.some((d) => d.node === given)) return given;
  const named = status.devices.filter((d) => d.volunteerName !== '' && d.volunteerName === given);
  if (named.length > 1) throw new UsageError(`${named.length} computers are named ${given}: give the node id (see \`pelote sync status --json\`)`);
  return named[0]?.node ?? given;
}

/** The join's arguments, checked by the contract's rules as the app's are (paths made absolute first). */
function joinArgs(folder: string, key: string, options: SyncOptions): z.output<typeof joinArgsSchema> {
  const { identity, fingerprint, passphraseFile, passphraseEnv } = options;
  if (passphraseFile !== undefined && passphraseEnv !== undefined) throw new UsageError('give --passphrase-file or --passphrase-env, not both');
  const passphrase =
    passphraseFile !== undefined ? { kind: 'file', path: resolve(passphraseFile) } : passphraseEnv !== undefined ? { kind: 'env', name: passphraseEnv } : { kind: 'none' };
  const parsed = joinArgsSchema.safeParse({ folder, key, keyFile: null, identity: identity === undefined ? null : resolve(identity), fingerprint: fingerprint ?? null, passphrase });
  if (!parsed.success) {
    const flags: Record<string, string> = { identity: '--identity', fingerprint: '--fingerprint', passphrase: '--passphrase-file/--passphrase-env', folder: 'FOLDER' };
    throw new UsageError(`sync join: ${parsed.error.issues.map((i) => `${flags[String(i.path[0])] ?? String(i.path[0] ?? '')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

function report(ctx: CliContext, status: SyncStatus): number {
  output(ctx, status, () => describeStatus(status));
  return status.lastError ? 1 : 0;
}
