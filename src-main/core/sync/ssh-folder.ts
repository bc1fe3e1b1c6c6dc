// A team folder on a server, ssh://user@host[:port]/path, read and written over SFTP through the SSH pool. It is a
// server added in Pelote: its key, passphrase and pinned host key are the ones the Servers page set up, so a team
// folder never opens a second, unpinned way into a server. The one exception is joining from a laptop that knows no
// server yet: the volunteer gives a key and the host key fingerprint the team gave them, that fingerprint is pinned from
// the first connection, and the server then becomes one of this laptop's servers with that key.
import type { Server, ServerAuth, ServerInput } from '../../contract';
import { absolutePath } from '../../contract/backups';
import { text } from '../../contract/fields';
import { needsKeyHere, serverInputSchema } from '../../contract/servers';
import type { Core } from '../core';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { poolFor } from '../health/pool-for-core';
import { ServersService } from '../health/servers-service';
import { sshTargetFor } from '../health/ssh-target';
import { SshPool } from '../ssh';
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

/** How this laptop logs in to a server it does not know yet, given when joining (sync.join's identity and fingerprint). */
export interface JoinLogin {
  /** The private key's path on this laptop. */
  identity: string;
  /** The server's host key, as the team gave it: the only one accepted. */
  fingerprint: string;
  passphrase: Extract<ServerAuth, { kind: 'key' }>['passphrase'];
}

interface JoiningThrough {
  address: SshFolder;
  login: JoinLogin;
  /** A pool of its own, pinned to the given fingerprint: the core's pool reads pinned keys from the servers table. */
  pool: SshPool;
}

/** The join in progress on a core: its syncs (and the scheduler's, meanwhile) reach the folder with the given login. */
const joining = new WeakMap<Core, JoiningThrough>();

const sameServer = (address: SshFolder) => (s: Pick<Server, 'host' | 'port' | 'username'>): boolean =>
  s.host.toLowerCase() === address.host.toLowerCase() && s.port === address.port && s.username === address.username;

/** Runs `join` with `login` as the way into `folder`'s server, then closes its connection. */
export async function withJoinLogin<T>(core: Core, folder: string, login: JoinLogin, join: () => Promise<T>): Promise<T> {
  const address = parseSshFolder(folder);
  // As the core's pool (pool-for-core.ts): a stalled command ends; a first connection is never trusted on first use.
  const pool = new SshPool({ hostKeys: { expected: () => login.fingerprint }, execTimeoutMs: 15_000 });
  joining.set(core, { address, login, pool });
  try {
    return await join();
  } finally {
    joining.delete(core);
    await pool.closeAll();
  }
}

/**
 * After the team's register arrived: the team's server at the folder's address gets this laptop's key, where it has
 * none here yet; without one, the server is added (pinned to the given fingerprint), so later syncs take the usual
 * way. Refused, changing nothing, when the team pinned another host key for it: one of the two is not that server.
 */
export function keepJoinLogin(core: Core, folder: string, login: JoinLogin): void {
  const address = parseSshFolder(folder);
  const servers = new ServersService(core);
  const auth: ServerAuth = { kind: 'key', keyPath: login.identity, passphrase: login.passphrase };
  writeTransaction(core.db, () => {
    const matching = servers.list().filter(sameServer(address));
    const pinnedElse = matching.find((s) => s.hostKey !== null && s.hostKey.fingerprint !== login.fingerprint);
    if (pinnedElse !== undefined) {
      throw new CoreError(
        'sync_join_host_key_differs',
        `The team pinned the host key ${pinnedElse.hostKey?.fingerprint ?? ''} for ${pinnedElse.name}, not ${login.fingerprint} as given: ` +
          'ask the team which one is right. Your key was not set on it and nothing was trusted.',
        { name: pinnedElse.name, folder: address.label, pinned: pinnedElse.hostKey?.fingerprint, given: login.fingerprint },
      );
    }
    if (matching.length === 0) {
      const created = servers.create({ name: freeName(servers.list(), address), host: address.host, port: address.port, username: address.username, auth });
      servers.acceptHostKey(created.id, login.fingerprint);
      return;
    }
    for (const server of matching) {
      if (needsKeyHere(server)) servers.update(server.id, { ...inputOf(server), auth });
      if (server.hostKey === null) servers.acceptHostKey(server.id, login.fingerprint);
    }
  });
}

/** The host as the server's name, unless another server has it: then the whole address. */
function freeName(existing: readonly Server[], address: SshFolder): string {
  const taken = new Set(existing.map((s) => s.name.toLowerCase()));
  const written = address.host.includes(':') ? `[${address.host}]` : address.host;
  const whole = `${address.username}@${written}:${address.port}`.slice(0, 80);
  return address.host.length <= 80 && !taken.has(address.host.toLowerCase()) ? address.host : whole;
}

/** What the server form would send back for the server as it is. */
const inputOf = (server: Server): ServerInput => ({
  name: server.name,
  host: server.host,
  port: server.port,
  username: server.username,
  auth: server.auth,
  tags: server.tags,
  notes: server.notes,
  sweepIntervalSeconds: server.sweepIntervalSeconds,
  services: server.services.map(({ serverId: _server, ...service }) => service),
});

/**
 * Runs `fn` with the folder's store on one SFTP session of the pool, ended after. The server is the live one with the
 * same host (case aside), port and user — one this laptop has a login for first (servers sync, keys do not), then the
 * first by name if several are. During a join with a given login, that login.
 */
export async function withSshFolderStore<T>(core: Core, folder: string, fn: (store: FolderStore) => Promise<T>): Promise<T> {
  const address = parseSshFolder(folder);
  const open = (sftp: Parameters<typeof sftpFolderStore>[0]): Promise<T> => fn(sftpFolderStore(sftp, address.path, { label: address.label }));
  const join = joining.get(core);
  if (join !== undefined && join.address.label === address.label) {
    const { host, port, username } = address;
    const auth: ServerAuth = { kind: 'key', keyPath: join.login.identity, passphrase: join.login.passphrase };
    const target = await sshTargetFor(core, { id: `join ${address.label}`, host, port, username, auth }, null);
    try {
      return await join.pool.sftp(target, open);
    } catch (error) {
      if (!(error instanceof CoreError && error.code === 'ssh_host_key_changed')) throw error;
      const { expected, actual } = error.details as { expected: string; actual: string };
      throw new CoreError(
        'sync_join_host_key_mismatch',
        `${host}:${port} shows the host key ${actual}, not ${expected} as given: check the fingerprint with the team. ` +
          'Someone may be intercepting the connection; nothing was sent to it.',
        { folder: address.label, host, port, expected, actual },
      );
    }
  }
  const servers = new ServersService(core);
  const matching = servers.list().filter(sameServer(address));
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
  return poolFor(core).sftp(target, open);
}
