// fast-check arbitraries shared by the property tests: realistic dates, amounts, rules and ledgers.
import fc from 'fast-check';
import { addDays, daysBetween, type IsoDate } from './isoDate';
import type { LedgerEntry, Payment } from './ledger';
import { computePeriod } from './period';
import type { DuesRules, FeeRule, PeriodRule } from './rules';

const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2040-12-31';

export const isoDateArb = (from: IsoDate = FIRST_DAY, to: IsoDate = LAST_DAY): fc.Arbitrary<IsoDate> =>
  fc.integer({ min: 0, max: daysBetween(from, to) }).map((offset) => addDays(from, offset));

const amountCentsArb = fc.integer({ min: 1, max: 100_000 });

export const fiscalYearStartMonthArb = fc.integer({ min: 1, max: 12 });

export const feeRuleArb: fc.Arbitrary<FeeRule> = fc.oneof(
  amountCentsArb.map((amountCents) => ({ kind: 'fixed' as const, amountCents })),
  fc.constant({ kind: 'exempt' as const }),
  fc.integer({ min: 0, max: 10_000 }).map((minimumCents) => ({ kind: 'pay_what_you_want' as const, minimumCents })),
);

export const periodRuleArb: fc.Arbitrary<PeriodRule> = fc.oneof(
  fc.constant({ kind: 'calendar_year' as const }),
  fc.constant({ kind: 'fiscal_year' as const }),
  fc.integer({ min: 1, max: 24 }).map((months) => ({ kind: 'rolling_months' as const, months })),
);

export const duesRulesArb: fc.Arbitrary<DuesRules> = fc.record({
  period: periodRuleArb,
  graceDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })),
});

const methodArb = fc.constantFrom('cash', 'cheque', 'transfer', 'card', 'helloasso');

/** A payment dated by `dateArb`, its period computed from a rule or edited by hand (1 day to ~2 years). */
export const paymentArb = (id: string, dateArb: fc.Arbitrary<IsoDate> = isoDateArb()): fc.Arbitrary<Payment> =>
  fc
    .record({
      date: dateArb,
      amountCents: amountCentsArb,
      method: methodArb,
      reference: fc.string({ maxLength: 12 }),
      rule: periodRuleArb,
      fiscalYearStartMonth: fiscalYearStartMonthArb,
      edited: fc.option(fc.record({ start: dateArb, days: fc.integer({ min: 0, max: 800 }) })),
    })
    .map(({ rule, fiscalYearStartMonth, edited, ...entry }) => ({
      id,
      ...entry,
      ...(edited
        ? { periodStart: edited.start, periodEnd: addDays(edited.start, edited.days) }
        : computePeriod(rule, entry.date, fiscalYearStartMonth)),
      reversesPaymentId: null,
    }));

/** A payment covering `today`, with a fresh id. */
export const paymentCoveringArb = (id: string, today: IsoDate): fc.Arbitrary<Payment> =>
  fc
    .tuple(paymentArb(id), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }))
    .map(([payment, before, after]) => ({
      ...payment,
      periodStart: addDays(today, -before),
      periodEnd: addDays(today, after),
    }));

/** Which entry a reversal cancels: a payment of the ledger (by index), an unknown id, or another reversal. */
const reversalTargetArb = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((index) => ({ kind: 'payment' as const, index })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reversal' as const }) },
);

/** Up to 8 payments p0…p7, up to 4 reversals r0…r3 (some dangling, some reversing a reversal), in random order. */
const ledgerArb = (dateArb: fc.Arbitrary<IsoDate>): fc.Arbitrary<LedgerEntry[]> =>
  fc
    .tuple(
      fc
        .integer({ min: 0, max: 8 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => paymentArb(`p${i}`, dateArb)))),
      fc.array(fc.tuple(reversalTargetArb, dateArb), { maxLength: 4 }),
    )
    .chain(([payments, targets]) => {
      const reversals: LedgerEntry[] = targets.map(([target, date], i) => {
        const reversed =
          target.kind === 'payment' ? payments[target.index % Math.max(payments.length, 1)] : undefined;
        return {
          id: `r${i}`,
          amountCents: -(reversed?.amountCents ?? 1_000),
          date,
          method: 'transfer',
          reference: '',
          reversesPaymentId:
            reversed?.id ?? (target.kind === 'reversal' && i > 0 ? `r${i - 1}` : `ghost${i}`),
        };
      });
      return fc.shuffledSubarray([...payments, ...reversals], { minLength: payments.length + reversals.length });
    });

export interface Scenario {
  ledger: LedgerEntry[];
  rules: DuesRules;
  today: IsoDate;
  /** A further payment in the same years as the ledger, id 'new'. */
  newPayment: Payment;
}

/**
 * A member's ledger spread over a few years around an anchor, and a `today` that often falls just before or after
 * one of its period ends, so the narrow statuses (expiring, grace) come up often.
 */
export const scenarioArb: fc.Arbitrary<Scenario> = isoDateArb('2003-01-01', '2037-12-31').chain((anchor) => {
  const nearAnchor = fc.integer({ min: -3 * 365, max: 3 * 365 }).map((days) => addDays(anchor, days));
  const around = (ends: IsoDate[], maxAfter: number) =>
    fc
      .tuple(fc.constantFrom(...ends), fc.integer({ min: -45, max: maxAfter }))
      .map(([end, days]) => addDays(end, days));
  return fc
    .tuple(ledgerArb(nearAnchor), duesRulesArb, paymentArb('new', nearAnchor))
    .chain(([ledger, rules, newPayment]) => {
      const ends = ledger.flatMap((e) => (e.reversesPaymentId === null ? [e.periodEnd] : []));
      // The latest end (reversed or not) is usually paidUntil: aim there most often.
      const latest = ends.reduce((a, b) => (a > b ? a : b), '');
      const todayArb =
        ends.length === 0
          ? nearAnchor
          : fc.oneof(nearAnchor, around(ends, 800), { weight: 3, arbitrary: around([latest], 120) });
      return todayArb.map((today) => ({ ledger, rules, today, newPayment }));
    });
});
