import { describe, expect, it } from 'vitest';
import type { FeeRule } from './rules';
import { validatePaymentAmount, validatePaymentPeriod } from './validatePayment';

const fixed: FeeRule = { kind: 'fixed', amountCents: 1_500 };
const payWhatYouWant: FeeRule = { kind: 'pay_what_you_want', minimumCents: 500 };

describe('validatePaymentAmount', () => {
  it.each([
    [fixed, 1_500],
    [payWhatYouWant, 500],
    [payWhatYouWant, 12_345],
    [{ kind: 'pay_what_you_want', minimumCents: 0 } as const, 1],
  ])('accepts %j with %i cents', (fee, amount) => {
    expect(validatePaymentAmount(fee, amount)).toBeNull();
  });

  it.each([
    [fixed, 1_499, { code: 'amount_must_equal_fee', params: { feeCents: 1_500 } }],
    [fixed, 2_000, { code: 'amount_must_equal_fee', params: { feeCents: 1_500 } }],
    [payWhatYouWant, 499, { code: 'amount_below_minimum', params: { minimumCents: 500 } }],
    [payWhatYouWant, 0, { code: 'amount_must_be_positive', params: {} }],
    [fixed, -1_500, { code: 'amount_must_be_positive', params: {} }],
    [fixed, 12.5, { code: 'amount_not_whole_cents', params: {} }],
    [payWhatYouWant, Number.NaN, { code: 'amount_not_whole_cents', params: {} }],
    [{ kind: 'exempt' } as const, 1_500, { code: 'category_is_exempt', params: {} }],
  ])('rejects %j with %d cents', (fee, amount, error) => {
    expect(validatePaymentAmount(fee, amount)).toEqual(error);
  });
});

describe('validatePaymentPeriod', () => {
  it('accepts a period of one day or more', () => {
    expect(validatePaymentPeriod('2025-01-01', '2025-12-31')).toBeNull();
    expect(validatePaymentPeriod('2025-01-01', '2025-01-01')).toBeNull();
  });
  it('rejects an end before the start and dates that do not exist', () => {
    expect(validatePaymentPeriod('2025-01-02', '2025-01-01')).toEqual({ code: 'period_end_before_start', params: {} });
    expect(validatePaymentPeriod('2025-02-29', '2025-12-31')).toEqual({
      code: 'invalid_date',
      params: { field: 'periodStart' },
    });
    expect(validatePaymentPeriod('2025-01-01', '31/12/2025')).toEqual({
      code: 'invalid_date',
      params: { field: 'periodEnd' },
    });
  });
});
