import { describe, expect, it } from 'vitest';
import type { BackupSnapshot } from '../../../src-main/contract';
import { groupPassword, groupSnapshots, progressFraction, restoreConfirmation, runDurationMs, textToBase64 } from './format';

const snapshot = (patch: Partial<BackupSnapshot>): BackupSnapshot => ({
  id: 'aaaaaaaa00000000',
  shortId: 'aaaaaaaa',
  repositoryId: 'r',
  time: '2026-03-12T02:30:00.000Z',
  kind: 'files',
  path: '/job/files.tar',
  dumpName: null,
  jobId: 'job',
  jobName: 'Nextcloud',
  serverId: 's',
  serverName: 'garage-1',
  hostname: 'garage-1',
  runId: 'run-1',
  size: 100,
  hasManifest: true,
  tags: [],
  ...patch,
});

describe('backup figures', () => {
  it('gives a share only when the total is known, clamped to the bar', () => {
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(300, 200)).toBe(1);
    expect(progressFraction(10, null)).toBeNull();
    expect(progressFraction(10, 0)).toBeNull();
  });

  it('measures a running run up to now, a finished one by its own figure', () => {
    const startedAt = '2026-03-12T10:00:00.000Z';
    const now = new Date('2026-03-12T10:01:30.000Z').getTime();
    expect(runDurationMs({ startedAt, finishedAt: null, durationMs: null }, now)).toBe(90_000);
    expect(runDurationMs({ startedAt, finishedAt: '2026-03-12T10:00:10.000Z', durationMs: 9_500 }, now)).toBe(9_500);
    expect(runDurationMs({ startedAt, finishedAt: '2026-03-12T10:00:10.000Z', durationMs: null }, now)).toBe(10_000);
  });
});

describe('snapshot groups', () => {
  it('puts the snapshots of one run together, files first, newest run first', () => {
    const groups = groupSnapshots([
      snapshot({ id: 'd1', kind: 'dump', dumpName: 'nextcloud', time: '2026-03-12T02:31:00.000Z', size: 20 }),
      snapshot({ id: 'f1', time: '2026-03-12T02:30:00.000Z' }),
      snapshot({ id: 'f2', runId: 'run-2', time: '2026-03-13T02:30:00.000Z' }),
    ]);
    expect(groups.map((g) => g.key)).toEqual(['run-2', 'run-1']);
    expect(groups[1]?.snapshots.map((s) => s.id)).toEqual(['f1', 'd1']);
    expect(groups[1]?.time).toBe('2026-03-12T02:30:00.000Z');
    expect(groups[1]?.size).toBe(120);
  });

  it('keeps snapshots another laptop made apart, with an unknown size', () => {
    const groups = groupSnapshots([snapshot({ id: 'x1', runId: null, size: null }), snapshot({ id: 'x2', runId: null, size: null })]);
    expect(groups).toHaveLength(2);
    expect(groups[0]?.size).toBeNull();
  });
});

describe('restore confirmation', () => {
  it('names the server and exactly the overwritten paths, or nothing when nothing is overwritten', () => {
    expect(restoreConfirmation({ serverId: 's', overwrites: ['/var/www', 'mysql:nextcloud'] })).toEqual({ serverId: 's', paths: ['/var/www', 'mysql:nextcloud'] });
    expect(restoreConfirmation({ serverId: 's', overwrites: [] })).toBeNull();
  });
});

describe('recovery sheet helpers', () => {
  it('encodes UTF-8 text as base64', () => {
    expect(atob(textToBase64('abc'))).toBe('abc');
    expect(new TextDecoder().decode(Uint8Array.from(atob(textToBase64('Fiche de récupération')), (c) => c.charCodeAt(0)))).toBe('Fiche de récupération');
  });

  it('cuts the password into groups that join back into it', () => {
    expect(groupPassword('abcdefghij')).toEqual(['abcd', 'efgh', 'ij']);
    expect(groupPassword('abcdefghij').join('')).toBe('abcdefghij');
  });
});
