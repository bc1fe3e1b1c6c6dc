import { describe, expect, it } from 'vitest';
import { periodLengthMonths, resolveDuesRules, type DuesRules } from './rules';

const association: DuesRules = { period: { kind: 'calendar_year' }, graceDays: 30 };

describe('resolveDuesRules', () => {
  it('inherits what the category leaves null or absent', () => {
    expect(resolveDuesRules(association, {})).toEqual(association);
    expect(resolveDuesRules(association, { period: null, graceDays: null })).toEqual(association);
  });
  it('takes each override separately, including a grace of 0', () => {
    const monthly = { kind: 'rolling_months', months: 1 } as const;
    expect(resolveDuesRules(association, { period: monthly })).toEqual({ period: monthly, graceDays: 30 });
    expect(resolveDuesRules(association, { graceDays: 0 })).toEqual({ ...association, graceDays: 0 });
  });
});

describe('periodLengthMonths', () => {
  it('is 12 for yearly rules and N for rolling N months', () => {
    expect(periodLengthMonths({ kind: 'calendar_year' })).toBe(12);
    expect(periodLengthMonths({ kind: 'fiscal_year' })).toBe(12);
    expect(periodLengthMonths({ kind: 'rolling_months', months: 6 })).toBe(6);
  });
});
