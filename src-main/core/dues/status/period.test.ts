import { describe, expect, it } from 'vitest';
import { computePeriod } from './period';
import type { PeriodRule } from './rules';

const calendar: PeriodRule = { kind: 'calendar_year' };
const fiscal: PeriodRule = { kind: 'fiscal_year' };
const rolling = (months: number): PeriodRule => ({ kind: 'rolling_months', months });
const SEPTEMBER = 9;

describe('computePeriod, calendar year', () => {
  it.each(['2025-01-01', '2025-06-15', '2025-12-31'])('%s → the year 2025', (date) => {
    expect(computePeriod(calendar, date, SEPTEMBER)).toEqual({ periodStart: '2025-01-01', periodEnd: '2025-12-31' });
  });
  it('gives a payment made just before New Year the current year: the treasurer edits it if needed', () => {
    expect(computePeriod(calendar, '2025-12-20', 1)).toEqual({ periodStart: '2025-01-01', periodEnd: '2025-12-31' });
  });
});

describe('computePeriod, fiscal year starting in September', () => {
  it.each([
    ['2025-08-31', '2024-09-01', '2025-08-31'],
    ['2025-09-01', '2025-09-01', '2026-08-31'],
    ['2026-01-15', '2025-09-01', '2026-08-31'],
  ])('%s → %s…%s', (date, periodStart, periodEnd) => {
    expect(computePeriod(fiscal, date, SEPTEMBER)).toEqual({ periodStart, periodEnd });
  });
  it('ends on 29 February when it starts in March before a leap year', () => {
    expect(computePeriod(fiscal, '2024-02-29', 3)).toEqual({ periodStart: '2023-03-01', periodEnd: '2024-02-29' });
    expect(computePeriod(fiscal, '2024-03-01', 3)).toEqual({ periodStart: '2024-03-01', periodEnd: '2025-02-28' });
  });
  it('is the calendar year when it starts in January', () => {
    expect(computePeriod(fiscal, '2025-06-15', 1)).toEqual(computePeriod(calendar, '2025-06-15', 1));
  });
  it('rejects a start month outside 1–12', () => {
    expect(() => computePeriod(fiscal, '2025-06-15', 13)).toThrow(RangeError);
    expect(() => computePeriod(fiscal, '2025-06-15', 0)).toThrow(RangeError);
  });
});

describe('computePeriod, rolling months', () => {
  it.each([
    // date + N months − 1 day, with 31 January + 1 month clamped to the end of February.
    [12, '2024-01-31', '2025-01-30'],
    [12, '2025-03-15', '2026-03-14'],
    [1, '2024-01-31', '2024-02-28'],
    [1, '2023-01-31', '2023-02-27'],
    [1, '2024-01-30', '2024-02-28'],
    [12, '2024-02-29', '2025-02-27'],
    [12, '2023-03-01', '2024-02-29'],
    [6, '2024-08-31', '2025-02-27'],
    [1, '2025-12-15', '2026-01-14'],
  ])('%i months from %s → until %s', (months, date, periodEnd) => {
    expect(computePeriod(rolling(months), date, SEPTEMBER)).toEqual({ periodStart: date, periodEnd });
  });
  it('rejects a month count that is not a positive whole number', () => {
    expect(() => computePeriod(rolling(0), '2025-06-15', 1)).toThrow(RangeError);
    expect(() => computePeriod(rolling(1.5), '2025-06-15', 1)).toThrow(RangeError);
  });
});
