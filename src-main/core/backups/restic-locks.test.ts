import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { goDurationSeconds, isStale, lockFromMessage } from './restic-locks';

// As restic 0.14 prints it (measured), with this machine's name.
const message = (pid: number, ago: string, exclusive = true) =>
  `unable to create lock in backend: repository is already locked ${exclusive ? 'exclusively ' : ''}by PID ${pid} on ${hostname()} by root (UID 0, GID 0)
lock was created at 2026-12-01 18:18:31 (${ago} ago)
storage ID 0b304361
the \`unlock\` command can be used to remove stale locks`;

describe("restic's locks", () => {
  it('reads who holds the lock, since when, and whether it is exclusive', () => {
    expect(lockFromMessage(message(process.pid, '620.732498ms'))).toMatchObject({ pid: process.pid, hostname: hostname(), exclusive: true, lockId: '0b304361', stale: false });
    expect(lockFromMessage(message(process.pid, '1m2.5s', false))).toMatchObject({ exclusive: false, ageSeconds: 62.5 });
    expect(lockFromMessage('Fatal: wrong password or no key found')).toBeNull();
  });

  it('calls a lock stale when it is older than 30 minutes or its process here is gone', () => {
    const gone = spawnSync('true').pid;
    expect(lockFromMessage(message(gone, '5s'))?.stale).toBe(true);
    expect(lockFromMessage(message(process.pid, '31m0s'))?.stale).toBe(true);
    expect(lockFromMessage(message(process.pid, '29m59s'))?.stale).toBe(false);
    // Another machine's process cannot be checked from here: only its age tells.
    expect(isStale('elsewhere', gone, 60)).toBe(false);
  });

  it("parses Go's duration text and refuses anything else", () => {
    expect(goDurationSeconds('1h2m3.5s')).toBe(3723.5);
    expect(goDurationSeconds('620ms')).toBeCloseTo(0.62);
    expect(goDurationSeconds('soon')).toBeNull();
  });
});
