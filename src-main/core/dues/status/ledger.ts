import type { IsoDate } from './isoDate';
import type { Period } from './period';

/**
 * The dues ledger is append-only: a mistaken or refunded payment is cancelled by a reversal entry that carries
 * the negated amount, never edited away. A reversed payment covers nothing; a reversal covers nothing either,
 * and reversing a reversal has no effect (record a new payment instead).
 */
interface LedgerEntryBase {
  id: string;
  /** Integer cents, negative on a reversal. */
  amountCents: number;
  date: IsoDate;
  /** Free label (cash, cheque, transfer, HelloAsso…); the rules ignore it. */
  method: string;
  reference: string;
}

/** Stores its period because the treasurer may edit the computed one. */
export interface Payment extends LedgerEntryBase, Period {
  reversesPaymentId: null;
}

export interface Reversal extends LedgerEntryBase {
  reversesPaymentId: string;
}

export type LedgerEntry = Payment | Reversal;

export type ReversalError = {
  code: 'payment_not_found' | 'cannot_reverse_a_reversal' | 'payment_already_reversed';
  params: { paymentId: string };
};

/** Payments not cancelled by a reversal, whatever the order of the entries. */
export function effectivePayments(entries: readonly LedgerEntry[]): Payment[] {
  const reversed = new Set(entries.flatMap((e) => (e.reversesPaymentId === null ? [] : [e.reversesPaymentId])));
  return entries.filter((e): e is Payment => e.reversesPaymentId === null && !reversed.has(e.id));
}

/** The latest period end among effective payments, null when nothing is paid (memberStatus: why gaps don't count). */
export function paidUntil(entries: readonly LedgerEntry[]): IsoDate | null {
  let latest: IsoDate | null = null;
  for (const payment of effectivePayments(entries)) {
    if (latest === null || payment.periodEnd > latest) latest = payment.periodEnd;
  }
  return latest;
}

/** Whether `paymentId` may be reversed now; null when it may. */
export function validateReversal(entries: readonly LedgerEntry[], paymentId: string): ReversalError | null {
  const target = entries.find((e) => e.id === paymentId);
  const params = { paymentId };
  if (!target) return { code: 'payment_not_found', params };
  if (target.reversesPaymentId !== null) return { code: 'cannot_reverse_a_reversal', params };
  if (entries.some((e) => e.reversesPaymentId === paymentId)) return { code: 'payment_already_reversed', params };
  return null;
}

/** The entry cancelling `payment`: negated amount, same method, the caller's id, date and reference. */
export function reversalOf(payment: Payment, entry: { id: string; date: IsoDate; reference: string }): Reversal {
  return { ...entry, amountCents: -payment.amountCents, method: payment.method, reversesPaymentId: payment.id };
}
