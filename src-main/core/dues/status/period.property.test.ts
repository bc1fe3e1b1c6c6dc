import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, parseIsoDate } from './isoDate';
import { computePeriod } from './period';
import { fiscalYearStartMonthArb, isoDateArb, periodRuleArb } from './testArbitraries';

describe('computePeriod properties', () => {
  it('contains the payment date', () => {
    fc.assert(
      fc.property(periodRuleArb, isoDateArb(), fiscalYearStartMonthArb, (rule, date, startMonth) => {
        const { periodStart, periodEnd } = computePeriod(rule, date, startMonth);
        expect(periodStart <= date && date <= periodEnd).toBe(true);
      }),
    );
  });

  it('ends the day before the same date N months (12 for years) after its start', () => {
    fc.assert(
      fc.property(periodRuleArb, isoDateArb(), fiscalYearStartMonthArb, (rule, date, startMonth) => {
        const { periodStart, periodEnd } = computePeriod(rule, date, startMonth);
        const months = rule.kind === 'rolling_months' ? rule.months : 12;
        expect(addDays(periodEnd, 1)).toBe(addMonths(periodStart, months));
      }),
    );
  });

  it('tiles the timeline for yearly rules: 365 or 366 days from the 1st of the start month, then the next one', () => {
    fc.assert(
      fc.property(isoDateArb(), fiscalYearStartMonthArb, (date, startMonth) => {
        const rule = { kind: 'fiscal_year' as const };
        const { periodStart, periodEnd } = computePeriod(rule, date, startMonth);
        expect(parseIsoDate(periodStart)).toMatchObject({ month: startMonth, day: 1 });
        expect([364, 365]).toContain(daysBetween(periodStart, periodEnd));
        expect(computePeriod(rule, addDays(periodEnd, 1), startMonth).periodStart).toBe(addDays(periodEnd, 1));
      }),
    );
  });
});
