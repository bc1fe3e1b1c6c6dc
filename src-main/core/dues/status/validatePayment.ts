import { isIsoDate, type IsoDate } from './isoDate';
import type { FeeRule } from './rules';

/** Stable codes and interpolation params; the renderer translates them. */
export type PaymentAmountError =
  | { code: 'category_is_exempt'; params: Record<string, never> }
  | { code: 'amount_not_whole_cents'; params: Record<string, never> }
  | { code: 'amount_must_be_positive'; params: Record<string, never> }
  | { code: 'amount_must_equal_fee'; params: { feeCents: number } }
  | { code: 'amount_below_minimum'; params: { minimumCents: number } };

export type PaymentPeriodError =
  | { code: 'invalid_date'; params: { field: 'periodStart' | 'periodEnd' } }
  | { code: 'period_end_before_start'; params: Record<string, never> };

/**
 * Whether `amountCents` is an acceptable dues payment under `fee`; null when it is.
 * A fixed fee must be paid exactly: a donation on top is a separate gift, not dues.
 */
export function validatePaymentAmount(fee: FeeRule, amountCents: number): PaymentAmountError | null {
  if (fee.kind === 'exempt') return { code: 'category_is_exempt', params: {} };
  if (!Number.isSafeInteger(amountCents)) return { code: 'amount_not_whole_cents', params: {} };
  if (amountCents <= 0) return { code: 'amount_must_be_positive', params: {} };
  if (fee.kind === 'fixed' && amountCents !== fee.amountCents) {
    return { code: 'amount_must_equal_fee', params: { feeCents: fee.amountCents } };
  }
  if (fee.kind === 'pay_what_you_want' && amountCents < fee.minimumCents) {
    return { code: 'amount_below_minimum', params: { minimumCents: fee.minimumCents } };
  }
  return null;
}

/** Checks a (possibly hand-edited) covered period; null when valid. A one-day period is allowed. */
export function validatePaymentPeriod(periodStart: IsoDate, periodEnd: IsoDate): PaymentPeriodError | null {
  if (!isIsoDate(periodStart)) return { code: 'invalid_date', params: { field: 'periodStart' } };
  if (!isIsoDate(periodEnd)) return { code: 'invalid_date', params: { field: 'periodEnd' } };
  if (periodEnd < periodStart) return { code: 'period_end_before_start', params: {} };
  return null;
}
