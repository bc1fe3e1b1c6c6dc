import type { MemberInput } from '../../contract';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import type { Core } from '../core';
import { newId } from '../ids';

/** A complete member input: a named person with nothing else filled in, then the overrides. */
export const memberInput = (overrides: Partial<MemberInput> = {}): MemberInput => ({
  ...EMPTY_MEMBER_INPUT,
  number: '1',
  firstName: 'Camille',
  lastName: 'Martin',
  ...overrides,
});

/** A category written straight into the table (the categories service belongs to the dues domain). */
export function insertCategory(
  core: Core,
  category: { name: string; fee?: 'fixed' | 'exempt' | 'pay_what_you_want'; rollingMonths?: number; graceDays?: number; deleted?: boolean },
): string {
  const id = newId();
  const now = core.clock.now().toISOString();
  const fee = category.fee ?? 'fixed';
  core.db
    .prepare(
      `insert into categories (id, name, fee_kind, fee_cents, period_kind, period_months, grace_days, created_at, updated_at, deleted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, category.name, fee, fee === 'exempt' ? null : 2000, category.rollingMonths ? 'rolling_months' : null,
      category.rollingMonths ?? null, category.graceDays ?? null, now, now, category.deleted ? now : null);
  return id;
}

/** A payment written with SQL in the shape of the payments table, as the payments service would. */
export function insertPayment(
  core: Core,
  payment: { memberId: string; periodStart?: string; periodEnd: string; paidOn?: string; amountCents?: number; payerName?: string; notes?: string },
): string {
  const id = newId();
  core.db
    .prepare(
      `insert into payments (id, member_id, amount_cents, paid_on, method, period_start, period_end, payer_name, notes, created_at)
       values (?, ?, ?, ?, 'cheque', ?, ?, ?, ?, ?)`,
    )
    .run(id, payment.memberId, payment.amountCents ?? 2000, payment.paidOn ?? payment.periodStart ?? payment.periodEnd,
      payment.periodStart ?? `${payment.periodEnd.slice(0, 4)}-01-01`, payment.periodEnd, payment.payerName ?? '',
      payment.notes ?? '', core.clock.now().toISOString());
  return id;
}

/** The entry cancelling `paymentId` (a payment, or another reversal). */
export function insertReversal(core: Core, reversal: { memberId: string; reverses: string; paidOn?: string; notes?: string }): string {
  const id = newId();
  core.db
    .prepare(
      `insert into payments (id, member_id, amount_cents, paid_on, method, reverses_payment_id, notes, created_at)
       values (?, ?, -2000, ?, 'cheque', ?, ?, ?)`,
    )
    .run(id, reversal.memberId, reversal.paidOn ?? '2026-01-15', reversal.reverses, reversal.notes ?? '', core.clock.now().toISOString());
  return id;
}
