import { createHash } from 'node:crypto';

export type SshAuth =
  | { kind: 'agent' }
  | { kind: 'key'; privateKey: string | Buffer; passphrase?: string };

/** A server as the pool reaches it. `id` is the server's stable id: connections, limits and host keys hang on it. */
export interface SshTarget {
  id: string;
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
}

/** What identifies a server in errors: never the credentials. */
export type ServerRef = Pick<SshTarget, 'id' | 'host' | 'port'>;

/**
 * A digest of everything a connection depends on, so a changed target replaces its connection. Hashed so that the
 * pool's bookkeeping holds no second copy of the key or passphrase.
 */
export function connectionKey(target: SshTarget): string {
  const hash = createHash('sha256');
  for (const part of [target.host, String(target.port), target.username, target.auth.kind]) hash.update(`${part}\0`);
  if (target.auth.kind === 'key') {
    hash.update(target.auth.privateKey);
    hash.update(`\0${target.auth.passphrase ?? ''}`);
  }
  return hash.digest('base64');
}
