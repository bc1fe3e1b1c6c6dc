import { describe, expect, it } from 'vitest';
import { formatEuros, formatFrenchDate, NBSP, parseIsoDate } from './french-format';

describe('formatEuros', () => {
  it.each([
    [0, '0,00 €'],
    [5, '0,05 €'],
    [1250, '12,50 €'],
    [1000, '10,00 €'],
    [99_999, '999,99 €'],
    [125_000, '1 250,00 €'],
    [100_000_000, '1 000 000,00 €'],
  ])('%i → %s', (cents, expected) => {
    expect(formatEuros(cents)).toBe(expected.replaceAll(' ', NBSP));
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s', (cents) => {
    expect(() => formatEuros(cents)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('formats as dd/mm/yyyy', () => {
    expect(formatFrenchDate('2026-03-12')).toBe('12/03/2026');
    expect(formatFrenchDate('2024-02-29')).toBe('29/02/2024');
  });

  it('parses to midnight UTC', () => {
    expect(parseIsoDate('2026-03-12').toISOString()).toBe('2026-03-12T00:00:00.000Z');
  });

  it.each(['2026-02-29', '2026-13-01', '2026-3-12', '12/03/2026', '2026-03-12T10:00:00Z', ''])('rejects %j', (iso) => {
    expect(() => formatFrenchDate(iso)).toThrow(RangeError);
  });
});
