import { describe, expect, it } from 'vitest';
import type { LedgerEntry, Payment } from './ledger';
import { compareStatus, memberStatus, STATUS_RANK, type DuesStatus } from './memberStatus';
import { computePeriod } from './period';
import type { DuesRules, PeriodRule } from './rules';

const calendar: PeriodRule = { kind: 'calendar_year' };
const payment = (id: string, periodStart: string, periodEnd: string, date = periodStart): Payment => ({
  id,
  amountCents: 2_000,
  date,
  method: 'transfer',
  reference: '',
  periodStart,
  periodEnd,
  reversesPaymentId: null,
});
const statusOn = (today: string, payments: LedgerEntry[], rules: DuesRules, categoryExempt = false) =>
  memberStatus({ member: { categoryExempt }, payments, rules, today });

describe('memberStatus boundaries: calendar year 2025 paid, 15 grace days', () => {
  const ledger = [payment('p1', '2025-01-01', '2025-12-31', '2025-02-03')];
  const rules: DuesRules = { period: calendar, graceDays: 15 };

  it.each<[string, DuesStatus]>([
    ['2025-01-01', 'up_to_date'],
    ['2025-11-30', 'up_to_date'], // 31 days left
    ['2025-12-01', 'expiring'], // exactly 30 days left
    ['2025-12-31', 'expiring'], // last paid day, 0 days left
    ['2026-01-01', 'grace'], // grace day 1
    ['2026-01-15', 'grace'], // last grace day (15)
    ['2026-01-16', 'late'],
    ['2026-12-31', 'late'], // the whole of 2026 went by unpaid…
    ['2027-01-01', 'lapsed'], // …so from here on
    ['2030-06-01', 'lapsed'],
  ])('%s → %s', (today, status) => {
    expect(statusOn(today, ledger, rules)).toEqual({ status, paidUntil: '2025-12-31' });
  });

  it('is late the day after paidUntil when there is no grace', () => {
    expect(statusOn('2026-01-01', ledger, { period: calendar, graceDays: 0 }).status).toBe('late');
  });
});

describe('memberStatus boundaries: fiscal year from September', () => {
  const rules: DuesRules = { period: { kind: 'fiscal_year' }, graceDays: 30 };
  const ledger = [payment('p1', '2024-09-01', '2025-08-31', '2024-09-12')];

  it.each<[string, DuesStatus]>([
    ['2025-08-01', 'expiring'], // 30 days left
    ['2025-07-31', 'up_to_date'],
    ['2025-09-30', 'grace'], // grace day 30
    ['2025-10-01', 'late'],
    ['2026-08-31', 'late'],
    ['2026-09-01', 'lapsed'],
  ])('%s → %s', (today, status) => {
    expect(statusOn(today, ledger, rules).status).toBe(status);
  });
});

describe('memberStatus boundaries: rolling months across a leap February', () => {
  it('1 month paid on 2024-01-31 covers until 28 Feb; 7 grace days; lapsed once March went unpaid', () => {
    const period = computePeriod({ kind: 'rolling_months', months: 1 }, '2024-01-31', 1);
    const ledger = [payment('p1', period.periodStart, period.periodEnd)];
    const rules: DuesRules = { period: { kind: 'rolling_months', months: 1 }, graceDays: 7 };
    expect(period.periodEnd).toBe('2024-02-28');
    expect(statusOn('2024-01-31', ledger, rules).status).toBe('expiring'); // 28 days left
    expect(statusOn('2024-02-29', ledger, rules).status).toBe('grace'); // leap day is grace day 1
    expect(statusOn('2024-03-06', ledger, rules).status).toBe('grace'); // grace day 7
    expect(statusOn('2024-03-07', ledger, rules).status).toBe('late');
    expect(statusOn('2024-03-28', ledger, rules).status).toBe('late');
    expect(statusOn('2024-03-29', ledger, rules).status).toBe('lapsed'); // 2024-02-29 + 1 month
  });

  it('12 months paid on 2024-01-31: expiring from 30 days before 2025-01-30', () => {
    const period = computePeriod({ kind: 'rolling_months', months: 12 }, '2024-01-31', 1);
    const ledger = [payment('p1', period.periodStart, period.periodEnd)];
    const rules: DuesRules = { period: { kind: 'rolling_months', months: 12 }, graceDays: 0 };
    expect(statusOn('2024-12-30', ledger, rules).status).toBe('up_to_date');
    expect(statusOn('2024-12-31', ledger, rules).status).toBe('expiring');
    expect(statusOn('2025-01-31', ledger, rules).status).toBe('late');
    expect(statusOn('2026-01-30', ledger, rules).status).toBe('late');
    expect(statusOn('2026-01-31', ledger, rules).status).toBe('lapsed');
  });

  it('counts exactly 30 days across a leap February', () => {
    const ledger = [payment('p1', '2023-03-02', '2024-03-01')];
    const rules: DuesRules = { period: calendar, graceDays: 0 };
    expect(statusOn('2024-01-30', ledger, rules).status).toBe('up_to_date'); // 31 days left
    expect(statusOn('2024-01-31', ledger, rules).status).toBe('expiring'); // 30 days left
  });

  it('goes straight from grace to lapsed when the grace outlasts the period', () => {
    const ledger = [payment('p1', '2025-01-01', '2025-01-31')];
    const rules: DuesRules = { period: { kind: 'rolling_months', months: 1 }, graceDays: 60 };
    expect(statusOn('2025-04-01', ledger, rules).status).toBe('grace'); // day 60
    expect(statusOn('2025-04-02', ledger, rules).status).toBe('lapsed');
  });
});

describe('memberStatus: which payments count', () => {
  const rules: DuesRules = { period: calendar, graceDays: 15 };
  const y2025 = payment('p2025', '2025-01-01', '2025-12-31');

  it('is never without an effective payment', () => {
    expect(statusOn('2025-06-01', [], rules)).toEqual({ status: 'never', paidUntil: null });
    const reversal: LedgerEntry = { ...y2025, id: 'r1', amountCents: -2_000, reversesPaymentId: 'p2025' };
    expect(statusOn('2025-06-01', [y2025, reversal], rules)).toEqual({ status: 'never', paidUntil: null });
  });

  it('lets a renewal paid in advance extend paidUntil', () => {
    const renewal = payment('p2026', '2026-01-01', '2026-12-31', '2025-12-10');
    expect(statusOn('2025-12-15', [y2025, renewal], rules)).toEqual({ status: 'up_to_date', paidUntil: '2026-12-31' });
  });

  it('counts a November newcomer booked on next year as up to date at once', () => {
    const booked = payment('p2026', '2026-01-01', '2026-12-31', '2025-11-20');
    expect(statusOn('2025-11-20', [booked], rules).status).toBe('up_to_date');
  });

  it('ignores a gap before a prepaid period (the documented cost of monotonicity)', () => {
    const y2023 = payment('p2023', '2023-01-01', '2023-12-31');
    expect(statusOn('2024-06-01', [y2023, y2025], rules)).toEqual({ status: 'up_to_date', paidUntil: '2025-12-31' });
  });

  it('is exempt whatever the ledger, still reporting what was paid', () => {
    expect(statusOn('2030-01-01', [], rules, true)).toEqual({ status: 'exempt', paidUntil: null });
    expect(statusOn('2030-01-01', [y2025], rules, true)).toEqual({ status: 'exempt', paidUntil: '2025-12-31' });
  });
});

describe('STATUS_RANK', () => {
  it('orders statuses from better to worse', () => {
    const statuses = Object.keys(STATUS_RANK) as DuesStatus[];
    expect([...statuses].reverse().sort(compareStatus)).toEqual([
      'exempt',
      'up_to_date',
      'expiring',
      'grace',
      'late',
      'lapsed',
      'never',
    ]);
  });
});
