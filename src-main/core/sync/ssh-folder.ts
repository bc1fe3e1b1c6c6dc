// A team folder on a server, ssh://user@host[:port]/path, read and written over SFTP through the SSH pool. It must be
// a server added in Pelote: its key, passphrase and pinned host key are the ones the Servers page set up, so a team
// folder never opens a second, unpinned way into a server.
import { absolutePath } from '../../contract/backups';
import { text } from '../../contract/fields';
import { needsKeyHere, serverInputSchema } from '../../contract/servers';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { poolFor } from '../health/pool-for-core';
import { ServersService } from '../health/servers-service';
import { sshTargetFor } from '../health/ssh-target';
import { sftpFolderStore, type FolderStore } from './folder';

export interface SshFolder {
  username: string;
  /** Without the brackets of an IPv6 address. */
  host: string;
  port: number;
  path: string;
  /** `ssh://user@host:port/path`, the port always written: how the store names itself in messages. */
  label: string;
}

/** user@host, an optional :port, then the path from its first '/'; an IPv6 host is written in brackets. */
const ADDRESS = /^ssh:\/\/([^@/]*)@(\[[^\]/]*\]|[^:/[\]]*)(?::([^/]*))?(\/.*)$/;
const { username: userRule, host: hostRule, port: portRule } = serverInputSchema.shape;
const pathText = text(4096);

/** Whether `value` passes `rule` as typed: the contract's rules trim, an address is taken exactly. */
const exactly = (rule: { safeParse(value: unknown): { success: boolean; data?: unknown } }, value: unknown): boolean => {
  const parsed = rule.safeParse(value);
  return parsed.success && parsed.data === value;
};

/** Parses an address with the servers' rules for the user, host and port, and the backups' rule for server paths. */
export function parseSshFolder(folder: string): SshFolder {
  const invalid = (reason: string): CoreError =>
    new CoreError('sync_folder_address_invalid', `${folder} is not a team folder address (${reason}): write ssh://user@host[:port]/absolute/path.`, {
      folder,
      reason,
    });
  const match = ADDRESS.exec(folder);
  if (match === null) throw invalid('not ssh://user@host[:port]/path');
  const [, username = '', written = '', portText, path = ''] = match;
  const bracketed = written.startsWith('[');
  const host = bracketed ? written.slice(1, -1) : written;
  if (!exactly(userRule, username)) throw invalid('user name');
  if (!exactly(hostRule, host) || bracketed !== host.includes(':')) throw invalid('host');
  const port = portText === undefined ? 22 : /^[1-9][0-9]{0,4}$/.test(portText) ? Number(portText) : NaN;
  if (!exactly(portRule, port)) throw invalid('port');
  // No part may start with '-' (no value reaches a program's options), no '..', no control characters.
  if (!exactly(absolutePath, path) || !exactly(pathText, path)) throw invalid('path');
  return { username, host, port, path, label: `ssh://${username}@${written}:${port}${path}` };
}

/**
 * Runs `fn` with the folder's store on one SFTP session of the pool, ended after. The server is the live one with the
 * same host (case aside), port and user — one this laptop has a login for first (servers sync, keys do not), then the
 * first by name if several are.
 */
export async function withSshFolderStore<T>(core: Core, folder: string, fn: (store: FolderStore) => Promise<T>): Promise<T> {
  const address = parseSshFolder(folder);
  const servers = new ServersService(core);
  const matching = servers
    .list()
    .filter((s) => s.host.toLowerCase() === address.host.toLowerCase() && s.port === address.port && s.username === address.username);
  const server = matching.find((s) => !needsKeyHere(s)) ?? matching[0];
  if (server === undefined) {
    const { username, host, port } = address;
    throw new CoreError(
      'sync_folder_server_unknown',
      `No server in Pelote is ${username}@${host} port ${port}: add it (Servers) and accept its host key, then use this address.`,
      { folder: address.label, username, host, port },
    );
  }
  const target = await sshTargetFor(core, server, servers.sealedPassphrase(server.id));
  return poolFor(core).sftp(target, (sftp) => fn(sftpFolderStore(sftp, address.path, { label: address.label })));
}
