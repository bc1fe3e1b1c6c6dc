import { describe, expect, it } from 'vitest';
import { pickTier, type QueryContext } from './query';
import { DEFAULT_RETENTION } from './tiers';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const context: QueryContext = { nowMs: NOW, retention: DEFAULT_RETENTION, sweepIntervalMs: 30_000 };
const tierFor = (spanMs: number, maxPoints = 600, to = NOW) => pickTier({ from: to - spanMs, to, maxPoints }, context).tier;

describe('tier choice', () => {
  it('reads raw samples for short ranges, rollups for long ones', () => {
    expect(tierFor(HOUR)).toBe('raw');
    expect(tierFor(DAY)).toBe('raw');
    expect(tierFor(7 * DAY)).toBe('5m');
    expect(tierFor(30 * DAY)).toBe('1h');
    expect(tierFor(365 * DAY)).toBe('1h');
  });

  it('takes a finer tier when more points are wanted, as long as it still holds the range', () => {
    expect(tierFor(7 * DAY, 20_160)).toBe('raw');
    expect(tierFor(30 * DAY, 8_640)).toBe('5m'); // raw is only kept 14 days
  });

  it('falls back to the tier that still holds an old range', () => {
    // One hour, 20 days ago: raw samples are gone, the 5-minute buckets remain.
    expect(tierFor(HOUR, 600, NOW - 20 * DAY)).toBe('5m');
    expect(tierFor(HOUR, 600, NOW - 200 * DAY)).toBe('1h');
  });

  it('follows the configured retention', () => {
    const long = { ...context, retention: { rawDays: 60, fiveMinuteDays: 120, hourDays: 730 } };
    expect(pickTier({ from: NOW - 30 * DAY, to: NOW, maxPoints: 86_400 }, long).tier).toBe('raw');
  });
});
