// Host keys are pinned per server: a connection proceeds only when the server shows the key the user accepted.
import { createHash } from 'node:crypto';

/** Where the pinned fingerprints live (the servers table later); consulted on every new connection. */
export interface HostKeyPolicy {
  /** The fingerprint the user accepted for this server, or null if none yet. */
  expected(serverId: string): string | null;
}

export type HostKeyCheck =
  | { outcome: 'match'; fingerprint: string }
  | { outcome: 'unknown'; fingerprint: string }
  | { outcome: 'changed'; expected: string; actual: string };

/** As OpenSSH prints it: `SHA256:` + unpadded base64 of sha256(key blob). */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function checkHostKey(expected: string | null, fingerprint: string): HostKeyCheck {
  if (expected === null) return { outcome: 'unknown', fingerprint };
  if (expected === fingerprint) return { outcome: 'match', fingerprint };
  return { outcome: 'changed', expected, actual: fingerprint };
}
