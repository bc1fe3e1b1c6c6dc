import { describe, expect, it } from 'vitest';
import { formatWindow, RANGES, rangeWindow, timeAxis } from './time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 2, 12, 10, 17, 23);

describe('timeAxis', () => {
  it.each(Object.keys(RANGES) as (keyof typeof RANGES)[])('gives %s a few round ticks inside the window', (range) => {
    const { from, to } = rangeWindow(range, now);
    const { ticks } = timeAxis(from, to, 'en');
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.every((t) => t >= from && t <= to)).toBe(true);
    expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
  });

  it('puts the ticks of an hour on round minutes, labelled as clock times', () => {
    const { ticks, format } = timeAxis(now - HOUR, now, 'fr');
    expect(ticks.every((t) => new Date(t).getSeconds() === 0 && new Date(t).getMinutes() % 10 === 0)).toBe(true);
    expect(format(ticks[0]!)).toMatch(/^\d{1,2}:\d0$/);
  });

  it('puts the ticks of a week on local midnights, labelled as days', () => {
    const { ticks, format } = timeAxis(now - 7 * DAY, now, 'fr');
    expect(ticks.every((t) => new Date(t).getHours() === 0 && new Date(t).getMinutes() === 0)).toBe(true);
    expect(format(ticks[0]!)).toMatch(/^\d{1,2} \p{L}+\.?$/u);
  });

  it('labels the months of a year with their year', () => {
    const { ticks, format } = timeAxis(now - 365 * DAY, now, 'fr');
    expect(ticks.every((t) => new Date(t).getDate() === 1)).toBe(true);
    expect(format(ticks[0]!)).toMatch(/2025/);
  });
});

describe('a zoomed window', () => {
  it('still has ticks when it spans a few seconds, labelled with seconds', () => {
    const { ticks, format } = timeAxis(now - 12_000, now, 'fr');
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(format(ticks[0]!)).toMatch(/^\d{1,2}:\d{2}:\d{2}$/);
  });

  it('writes the date once', () => {
    const text = formatWindow({ from: now - 12_000, to: now }, 'fr');
    expect(text.match(/\d{2}\/\d{2}\/\d{4}/g)).toHaveLength(1);
    expect(text).toMatch(/:\d{2}:\d{2}/);
  });
});
