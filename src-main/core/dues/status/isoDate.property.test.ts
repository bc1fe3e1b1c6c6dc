import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, daysInMonth, formatIsoDate, isIsoDate, parseIsoDate } from './isoDate';
import { isoDateArb } from './testArbitraries';

describe('isoDate properties', () => {
  it('daysBetween measures addDays', () => {
    fc.assert(
      fc.property(isoDateArb(), fc.integer({ min: -20_000, max: 20_000 }), (date, days) => {
        expect(daysBetween(date, addDays(date, days))).toBe(days);
      }),
    );
  });

  it('dates order the same way as strings and as day counts', () => {
    fc.assert(
      fc.property(isoDateArb(), isoDateArb(), (a, b) => {
        expect(Math.sign(daysBetween(a, b))).toBe(a < b ? 1 : a > b ? -1 : 0);
      }),
    );
  });

  it('parse and format are inverse', () => {
    fc.assert(
      fc.property(isoDateArb(), (date) => {
        expect(formatIsoDate(parseIsoDate(date))).toBe(date);
      }),
    );
  });

  it('addMonths lands N months later on the same day, clamped to the month end', () => {
    fc.assert(
      fc.property(isoDateArb(), fc.integer({ min: -240, max: 240 }), (date, months) => {
        const from = parseIsoDate(date);
        const to = addMonths(date, months);
        expect(isIsoDate(to)).toBe(true);
        const { year, month, day } = parseIsoDate(to);
        expect(year * 12 + month - (from.year * 12 + from.month)).toBe(months);
        expect(day).toBe(Math.min(from.day, daysInMonth(year, month)));
      }),
    );
  });
});
