import { describe, expect, it } from 'vitest';
import { formatDuration, formatPercent, formatRelative } from './figures';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(42_000, 'en')).toBe('42s');
    expect(formatDuration(3_725_000, 'en')).toBe('1h 2m');
    expect(formatDuration(3_600_000, 'en')).toBe('1h');
    expect(formatDuration(26 * 3_600_000 + 5 * 60_000, 'en')).toBe('1d 2h');
  });

  it('never goes below zero when clocks disagree', () => {
    expect(formatDuration(-5_000, 'en')).toBe('0s');
  });
});

describe('formatPercent and formatRelative', () => {
  it('round percents in the UI language', () => {
    expect(formatPercent(91.6, 'en')).toBe('92%');
    expect(formatPercent(91.6, 'fr')).toMatch(/^92\s%$/);
  });

  it('picks the largest unit that fits', () => {
    const now = Date.parse('2026-03-12T10:00:00Z');
    expect(formatRelative('2026-03-12T09:59:30Z', now, 'en')).toBe('30 seconds ago');
    expect(formatRelative('2026-03-12T09:00:00Z', now, 'en')).toBe('1 hour ago');
    expect(formatRelative('2026-03-10T10:00:00Z', now, 'fr')).toBe('avant-hier');
  });
});
