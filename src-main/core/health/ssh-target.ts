// Turns a server's settings into what the SSH pool needs, at connect time: the private key is read from its file
// and the passphrase from wherever the user said it lives. Nothing here is logged, stored or returned to a face.
import { readFile } from 'node:fs/promises';
import type { Server } from '../../contract';
import { needsKeyHere } from '../../contract/servers';
import type { Core } from '../core';
import { CoreError } from '../errors';
import type { SshTarget } from '../ssh';

type KeyAuth = Extract<Server['auth'], { kind: 'key' }>;

/**
 * A server another laptop of the team added, and whose login this laptop has not set: each volunteer has their own
 * key, which never syncs. Said before anything is tried, with the server's name and what to do.
 */
export function keyMissingHere(server: { id: string; name?: string; host: string }): CoreError {
  const name = server.name ?? server.host;
  return new CoreError(
    'server_key_missing_here',
    `${name} was added on another computer of the team: set your own SSH key for it on this computer (Servers → ${name} → Edit) before Pelote can reach it.`,
    { id: server.id, name },
  );
}

/** Refuses, with keyMissingHere, a server this laptop has no login for yet. */
export function assertLoginHere(server: Pick<Server, 'id' | 'host' | 'auth'> & { name?: string }): void {
  if (needsKeyHere(server)) throw keyMissingHere(server);
}

/** `sealed` is the server's stored passphrase (servers.setPassphrase), when its source is 'stored'. */
export async function sshTargetFor(
  core: Core,
  server: Pick<Server, 'id' | 'host' | 'port' | 'username' | 'auth'> & { name?: string },
  sealed: Buffer | null,
): Promise<SshTarget> {
  const { id, host, port, username, auth } = server;
  if (auth.kind === 'agent') return { id, host, port, username, auth: { kind: 'agent' } };
  assertLoginHere(server);
  const privateKey = await readKey(auth.keyPath);
  const passphrase = await passphraseOf(core, auth.passphrase, sealed);
  return { id, host, port, username, auth: { kind: 'key', privateKey, ...(passphrase === null ? {} : { passphrase }) } };
}

async function readKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new CoreError('ssh_key_unreadable', `Cannot read the private key ${path}.`, { path });
  }
}

async function passphraseOf(core: Core, source: KeyAuth['passphrase'], sealed: Buffer | null): Promise<string | null> {
  switch (source.kind) {
    case 'none':
      return null;
    case 'stored': {
      const secrets = core.platform.secrets;
      if (sealed === null || secrets === undefined || !secrets.available()) throw missing('stored');
      return secrets.open(sealed);
    }
    case 'env': {
      const value = process.env[source.name];
      if (value === undefined || value === '') throw missing('env', { name: source.name });
      return value;
    }
    case 'file': {
      let text: string;
      try {
        text = await readFile(source.path, 'utf8');
      } catch {
        throw missing('file', { path: source.path });
      }
      return text.replace(/\r?\n$/, '');
    }
  }
}

const missing = (source: string, details: Record<string, unknown> = {}): CoreError =>
  new CoreError('ssh_passphrase_missing', `The key's passphrase is not available (${source}).`, { source, ...details });
