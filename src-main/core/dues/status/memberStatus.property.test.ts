import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './isoDate';
import { reversalOf, type LedgerEntry } from './ledger';
import { memberStatus, STATUS_RANK, type DuesStatus, type MemberStatus } from './memberStatus';
import type { DuesRules } from './rules';
import { duesRulesArb, isoDateArb, paymentArb, paymentCoveringArb, scenarioArb } from './testArbitraries';

const member = { categoryExempt: false };
// Enough runs that the narrow statuses (expiring, grace) come up dozens of times each.
const runs = { numRuns: 300 };
const rank = (result: MemberStatus) => STATUS_RANK[result.status];
const statusOf = (payments: readonly LedgerEntry[], rules: DuesRules, today: string) =>
  memberStatus({ member, payments, rules, today });

/** A scenario plus a payment covering its `today`, id 'new'. */
const coveredScenarioArb = scenarioArb.chain((scenario) =>
  paymentCoveringArb('new', scenario.today).map((covering) => ({ ...scenario, covering })),
);

describe('memberStatus properties', () => {
  it('a payment whose period covers today gives up_to_date or expiring', () => {
    fc.assert(
      fc.property(coveredScenarioArb, ({ ledger, rules, today, covering }) => {
        expect(['up_to_date', 'expiring']).toContain(statusOf([...ledger, covering], rules, today).status);
      }),
      runs,
    );
  });

  it('adding a payment never makes the status worse', () => {
    fc.assert(
      fc.property(scenarioArb, ({ ledger, rules, today, newPayment }) => {
        expect(rank(statusOf([...ledger, newPayment], rules, today))).toBeLessThanOrEqual(
          rank(statusOf(ledger, rules, today)),
        );
      }),
      runs,
    );
  });

  it('reversing the covering payment gives back the status before it was added', () => {
    fc.assert(
      fc.property(coveredScenarioArb, isoDateArb(), ({ ledger, rules, today, covering }, reversalDate) => {
        const reversal = reversalOf(covering, { id: 'new-reversal', date: reversalDate, reference: '' });
        expect(statusOf([reversal, ...ledger, covering], rules, today)).toEqual(statusOf(ledger, rules, today));
      }),
      runs,
    );
  });

  it('exempt categories are always exempt regardless of payments', () => {
    fc.assert(
      fc.property(scenarioArb, ({ ledger, rules, today }) => {
        const result = memberStatus({ member: { categoryExempt: true }, payments: ledger, rules, today });
        expect(result.status).toBe('exempt');
      }),
      runs,
    );
  });

  it('is deterministic and does not depend on ledger order', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((scenario) =>
          fc
            .shuffledSubarray(scenario.ledger, { minLength: scenario.ledger.length })
            .map((shuffled) => ({ ...scenario, shuffled })),
        ),
        ({ ledger, shuffled, rules, today }) => {
          const first = statusOf(ledger, rules, today);
          expect(statusOf(ledger, rules, today)).toEqual(first);
          expect(statusOf(shuffled, rules, today)).toEqual(first);
        },
      ),
      runs,
    );
  });

  it('only gets worse as today advances without new payments', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 800 }), ({ ledger, rules, today }, days) => {
        const before = statusOf(ledger, rules, today);
        const after = statusOf(ledger, rules, addDays(today, days));
        expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
        expect(after.paidUntil).toBe(before.paidUntil);
      }),
      runs,
    );
  });

  it('walks up_to_date → expiring → grace → late → lapsed day by day, skipping only empty stages', () => {
    fc.assert(
      fc.property(paymentArb('p'), duesRulesArb, (payment, rules) => {
        const seen: DuesStatus[] = [];
        for (let day = addDays(payment.periodStart, -1); seen.at(-1) !== 'lapsed'; day = addDays(day, 1)) {
          const { status } = statusOf([payment], rules, day);
          if (seen.at(-1) !== status) seen.push(status);
        }
        const chain: DuesStatus[] = ['up_to_date', 'expiring', 'grace', 'late', 'lapsed'];
        expect(seen).toEqual(chain.filter((status) => seen.includes(status)));
        expect(seen).toContain('expiring');
        expect(seen.includes('grace')).toBe(rules.graceDays > 0);
      }),
      { numRuns: 50 },
    );
  });
});
