import { describe, expect, it } from 'vitest';
import { parseAmountCents } from './amount';

describe('parseAmountCents', () => {
  it.each([
    ['12,50 €', 1250],
    ['12,50€', 1250],
    ['€ 12,50', 1250],
    ['12,5', 1250],
    ['12', 1200],
    ['0,01', 1],
    ['1\u00a0234,00 €', 123400],
    ['1\u202f234,00\u202f€', 123400],
    ['1 234 567,89', 123456789],
    ['1.234,56', 123456],
    ['12.50', 1250],
    ['12,50 EUR', 1250],
    ['-12,50 €', -1250],
    ['Gratuit', 0],
    ['  gratuit ', 0],
    ['0,00 €', 0],
    ['-0,00', 0],
  ])('reads %j as %i cents', (raw, cents) => {
    expect(parseAmountCents(raw)).toBe(cents);
  });

  it('never goes through floats: 0,29 and 1,15 stay exact', () => {
    expect(parseAmountCents('0,29')).toBe(29);
    expect(parseAmountCents('1,15')).toBe(115);
    expect(parseAmountCents('4,35')).toBe(435);
  });

  it.each(['', 'abc', '12,505', '1,234', ',50', '12,50,00', '1 23,00', '12 €50', '1.234.5', '12.505', '1.234', '99999999999999'])(
    'refuses %j',
    (raw) => {
      expect(parseAmountCents(raw)).toBeNull();
    },
  );
});
