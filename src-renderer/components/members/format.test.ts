import { describe, expect, it } from 'vitest';
import { amountInput, formatDate, parseAmountCents, todayIso } from './format';

describe('parseAmountCents', () => {
  it.each([
    ['15', 1500],
    ['12,50', 1250],
    ['12.5', 1250],
    ['0,29', 29],
    ['0.07', 7],
    ['1 234,56 €', 123456],
    ['1\u202f234,56\u00a0€', 123456],
    ['  8 ', 800],
    ['100000000', 10_000_000_000],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseAmountCents(text)).toBe(cents);
  });

  it('is exact for every amount of cents under 100 euros, where floats would drift', () => {
    for (let cents = 0; cents < 10_000; cents++) {
      const text = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
      expect(parseAmountCents(text)).toBe(cents);
    }
  });

  it.each(['', ',', '12,', '12,345', '-5', '1e3', 'abc', '12,5,0', '100000000,01', '99999999999'])('refuses %j', (text) => {
    expect(parseAmountCents(text)).toBeNull();
  });
});

describe('formatDate', () => {
  it('shows the calendar date whatever the time zone', () => {
    expect(formatDate('2026-01-01', 'en-GB')).toContain('2026');
    expect(formatDate('2026-01-01', 'en-GB')).toMatch(/^1 Jan/);
    expect(formatDate('2025-12-31', 'fr')).toMatch(/^31 déc/);
  });
});

describe('todayIso', () => {
  it('pads month and day', () => {
    expect(todayIso(new Date(2026, 2, 5, 23, 59))).toBe('2026-03-05');
  });
});

describe('amountInput', () => {
  it('writes cents the way the language types them, and reads back the same', () => {
    expect(amountInput(1250, 'fr')).toBe('12,50');
    expect(amountInput(1205, 'en')).toBe('12.05');
    for (const cents of [0, 7, 99, 1500, 123456]) {
      expect(parseAmountCents(amountInput(cents, 'fr'))).toBe(cents);
      expect(parseAmountCents(amountInput(cents, 'en'))).toBe(cents);
    }
  });
});
