import { describe, expect, it } from 'vitest';
import type { Incident } from '../../contract';
import { mergeTwins, twinGroups } from './incident-twins';

const incident = (id: string, openedAt: string, resolvedAt: string | null, more: Partial<Incident & { subject: string }> = {}): Incident & { subject: string } => ({
  id,
  serverId: 's',
  serverName: 'garage',
  serviceId: null,
  serviceName: null,
  ruleId: 'disk_space',
  subject: '/srv',
  status: resolvedAt === null ? 'open' : 'resolved',
  cause: { code: null, value: {} },
  firstFailureAt: openedAt,
  openedAt,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt,
  timeline: [{ at: openedAt, kind: 'opened', actor: null, text: id }],
  ...more,
});

const ids = (groups: { id: string }[][]) => groups.map((g) => g.map((i) => i.id));

describe('incident twins', () => {
  it('groups incidents of one rule and subject whose times overlap, and only those', () => {
    const groups = twinGroups([
      incident('late', '2026-03-01T10:05:00Z', null),
      incident('early', '2026-03-01T10:01:00Z', '2026-03-01T10:10:00Z'),
      // Opened after both ended: a new outage.
      incident('next-day', '2026-03-02T09:00:00Z', null, { status: 'open' }),
      incident('other-disk', '2026-03-01T10:02:00Z', null, { subject: '/' }),
      incident('other-rule', '2026-03-01T10:02:00Z', null, { ruleId: 'disk_inodes' }),
    ]);
    expect(ids(groups).sort()).toEqual([['early', 'late', 'next-day'], ['other-disk'], ['other-rule']].sort());
    // 'late' is still going on, so 'next-day' overlaps it too.
    const ended = twinGroups([
      incident('a', '2026-03-01T10:01:00Z', '2026-03-01T10:10:00Z'),
      incident('b', '2026-03-01T10:05:00Z', '2026-03-01T10:20:00Z'),
      incident('c', '2026-03-01T10:30:00Z', null),
    ]);
    expect(ids(ended)).toEqual([['a', 'b'], ['c']]);
  });

  it('shows a group as its earliest incident: acknowledged while one going on is, resolved when all are, one timeline', () => {
    const a = incident('a', '2026-03-01T10:01:00Z', null);
    const b = incident('b', '2026-03-01T10:02:00Z', null, { status: 'acknowledged', acknowledgedAt: '2026-03-01T10:03:00Z', acknowledgedBy: 'Yann', firstFailureAt: '2026-03-01T09:59:00Z' });
    const merged = mergeTwins([a, b]);
    expect(merged).toMatchObject({ id: 'a', status: 'acknowledged', acknowledgedBy: 'Yann', firstFailureAt: '2026-03-01T09:59:00Z', resolvedAt: null });
    expect(merged.timeline.map((e) => e.text)).toEqual(['a', 'b']);
    const ended = mergeTwins([{ ...a, status: 'resolved', resolvedAt: '2026-03-01T11:00:00Z' }, { ...b, status: 'resolved', resolvedAt: '2026-03-01T10:50:00Z' }]);
    expect(ended).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-01T11:00:00Z', acknowledgedBy: 'Yann' });
    // One still going on: the group is not over.
    expect(mergeTwins([{ ...a, status: 'resolved', resolvedAt: '2026-03-01T11:00:00Z' }, b]).status).toBe('acknowledged');
    expect(mergeTwins([a])).toBe(a);
  });
});
