import { afterEach, describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, daysInMonth, formatIsoDate, isIsoDate, parseIsoDate } from './isoDate';

describe('isIsoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '0050-01-01'])('accepts %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });
  it.each(['2023-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-1-01', '01/09/2025', ''])(
    'rejects %j',
    (date) => {
      expect(isIsoDate(date)).toBe(false);
    },
  );
});

describe('parseIsoDate / formatIsoDate', () => {
  it('round-trips and pads', () => {
    expect(parseIsoDate('2025-09-01')).toEqual({ year: 2025, month: 9, day: 1 });
    expect(formatIsoDate({ year: 50, month: 3, day: 7 })).toBe('0050-03-07');
  });
  it('throws on a date that does not exist', () => {
    expect(() => parseIsoDate('2023-02-29')).toThrow(RangeError);
  });
});

describe('daysInMonth', () => {
  it('knows leap years, including the century rules', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2)]).toEqual([
      29, 28, 28, 29,
    ]);
    expect(daysInMonth(2025, 4)).toBe(30);
  });
});

describe('addDays', () => {
  it('crosses months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
  it('does not map years 0–99 to the 1900s', () => {
    expect(addDays('0050-12-31', 1)).toBe('0051-01-01');
  });
});

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2025-08-31', 1)).toBe('2025-09-30');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });
  it('goes backwards and across years', () => {
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });
});

describe('daysBetween', () => {
  it('counts whole days, signed', () => {
    expect(daysBetween('2025-03-01', '2025-03-01')).toBe(0);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2025-12-31', '2025-12-01')).toBe(-30);
  });
});

describe('time zones', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/Paris'])('gives the same answers in %s', (zone) => {
    process.env.TZ = zone;
    // 2025-03-30 is the night French clocks jump forward.
    expect(addDays('2025-03-29', 1)).toBe('2025-03-30');
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2);
    expect(addMonths('2025-10-26', 1)).toBe('2025-11-26');
  });
});
