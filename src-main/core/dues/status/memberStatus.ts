/**
 * A member's dues status, computed on read from the ledger and never stored.
 *
 * paidUntil is the latest periodEnd among effective (non-reversed) payments, whether that period has started yet
 * and whether it touches the earlier ones. So a renewal paid in advance extends paidUntil, a member who joins in
 * November with dues booked for next year is up to date at once, and a year skipped in the past is no debt.
 * Known cost: a member who paid 2023 and, during 2024, prepaid 2025 counts as up to date in 2024.
 * In exchange the status is monotone: a payment never makes it worse, a passing day never makes it better.
 *
 * With daysLeft = daysBetween(today, paidUntil), 0 on the last paid day:
 * - exempt      the category's fee rule is exempt, whatever the ledger (paidUntil is still reported);
 * - never       no effective payment, paidUntil null;
 * - up_to_date  daysLeft > 30;
 * - expiring    0 ≤ daysLeft ≤ 30: exactly 30 days left is expiring, 31 is up to date;
 * - grace       1 ≤ −daysLeft ≤ graceDays: the day after paidUntil is grace day 1; graceDays 0 means no grace;
 * - late        after grace, while a whole period length (12 months, or N for rolling N months, from the current
 *               rules) since paidUntil has not passed: today < addMonths(paidUntil + 1 day, length),
 *               i.e. the member has skipped the period that followed the paid one;
 * - lapsed      from that day on. A grace longer than a period goes straight to lapsed.
 * Membership (joined, left, deleted) is not an input: callers pick which members to show before asking.
 */
import { addDays, addMonths, daysBetween, type IsoDate } from './isoDate';
import { paidUntil, type LedgerEntry } from './ledger';
import { periodLengthMonths, type DuesRules } from './rules';

/** Better → worse, for sorting and for the monotonicity properties. */
export const STATUS_RANK = {
  exempt: 0,
  up_to_date: 1,
  expiring: 2,
  grace: 3,
  late: 4,
  lapsed: 5,
  never: 6,
} as const;

export type DuesStatus = keyof typeof STATUS_RANK;

/** Sort comparator, best status first. */
export function compareStatus(a: DuesStatus, b: DuesStatus): number {
  return STATUS_RANK[a] - STATUS_RANK[b];
}

/** A member with this many days left or fewer is reminded to renew. */
export const EXPIRING_WITHIN_DAYS = 30;

export interface MemberStatusInput {
  /** Caller sets categoryExempt from the category's fee rule (kind 'exempt'). */
  member: { categoryExempt?: boolean };
  payments: readonly LedgerEntry[];
  rules: DuesRules;
  today: IsoDate;
}

export interface MemberStatus {
  status: DuesStatus;
  paidUntil: IsoDate | null;
}

export function memberStatus({ member, payments, rules, today }: MemberStatusInput): MemberStatus {
  const until = paidUntil(payments);
  return { status: member.categoryExempt ? 'exempt' : statusOn(today, until, rules), paidUntil: until };
}

/** The status from the paid-until date alone: lets list queries compute paidUntil in SQL for every member at once. */
export function statusOn(today: IsoDate, until: IsoDate | null, rules: DuesRules): DuesStatus {
  if (until === null) return 'never';
  const daysLeft = daysBetween(today, until);
  if (daysLeft > EXPIRING_WITHIN_DAYS) return 'up_to_date';
  if (daysLeft >= 0) return 'expiring';
  if (-daysLeft <= rules.graceDays) return 'grace';
  const lapsedFrom = addMonths(addDays(until, 1), periodLengthMonths(rules.period));
  return today < lapsedFrom ? 'late' : 'lapsed';
}
