import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeeRule } from './rules';
import { feeRuleArb } from './testArbitraries';
import { validatePaymentAmount } from './validatePayment';

const expectedAcceptance = (fee: FeeRule, amount: number): boolean => {
  switch (fee.kind) {
    case 'exempt':
      return false;
    case 'fixed':
      return amount === fee.amountCents;
    case 'pay_what_you_want':
      return amount > 0 && amount >= fee.minimumCents;
  }
};

// Amounts near the rule's own figure, where the boundaries are, as well as anywhere.
const feeAndAmountArb = feeRuleArb.chain((fee) => {
  const pivot = fee.kind === 'fixed' ? fee.amountCents : fee.kind === 'pay_what_you_want' ? fee.minimumCents : 0;
  return fc
    .oneof(fc.integer({ min: -2, max: 2 }).map((delta) => pivot + delta), fc.integer({ min: -10_000, max: 200_000 }))
    .map((amount) => ({ fee, amount }));
});

describe('validatePaymentAmount properties', () => {
  it('accepts exactly the fee, or anything positive from the minimum, and nothing for exempt categories', () => {
    fc.assert(
      fc.property(feeAndAmountArb, ({ fee, amount }) => {
        expect(validatePaymentAmount(fee, amount) === null).toBe(expectedAcceptance(fee, amount));
      }),
    );
  });

  it('rejects amounts that are not whole cents under every rule', () => {
    fc.assert(
      fc.property(feeRuleArb, fc.double({ noInteger: true }), (fee, amount) => {
        expect(validatePaymentAmount(fee, amount)).not.toBeNull();
      }),
    );
  });
});
