// restic's locks: who holds one, since when, and whether it is stale as restic judges it (older than 30 minutes, or
// its process on this machine is gone) — only those are offered to `restic unlock`, which removes nothing else.
import { hostname } from 'node:os';

const STALE_AFTER_SECONDS = 30 * 60;

export interface LockInfo {
  pid: number;
  hostname: string;
  exclusive: boolean;
  createdAt: string | null;
  ageSeconds: number | null;
  lockId: string | null;
  stale: boolean;
}

/** From restic's "repository is already locked … by PID n on host …\nlock was created at … (1m2.5s ago)" message. */
export function lockFromMessage(text: string): LockInfo | null {
  const held = /already locked (exclusively )?by PID (\d+) on (\S+)/.exec(text);
  if (held === null) return null;
  const created = /lock was created at ([0-9-]+ [0-9:]+) \(([^)]+) ago\)/.exec(text);
  const ageSeconds = created?.[2] === undefined ? null : goDurationSeconds(created[2]);
  const pid = Number(held[2]);
  const host = held[3] ?? '';
  return {
    pid,
    hostname: host,
    exclusive: held[1] !== undefined,
    // restic prints the lock's time in this machine's local time zone.
    createdAt: created?.[1] === undefined ? null : new Date(created[1].replace(' ', 'T')).toISOString(),
    ageSeconds,
    lockId: /storage ID ([0-9a-f]+)/.exec(text)?.[1] ?? null,
    stale: isStale(host, pid, ageSeconds),
  };
}

export function isStale(host: string, pid: number, ageSeconds: number | null): boolean {
  if (ageSeconds !== null && ageSeconds > STALE_AFTER_SECONDS) return true;
  return host === hostname() && !processAlive(pid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Go's duration text (`1h2m3.5s`, `620.7ms`) in seconds. */
export function goDurationSeconds(text: string): number | null {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  let matched = '';
  for (const [part, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(value) * (units[unit ?? ''] ?? 0);
    matched += part;
  }
  return matched === text.trim() && matched !== '' ? total : null;
}
