import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { CategoriesService } from './categories-service';
import { duesDashboard } from './dashboard';
import { insertMember } from './dues-test-fixtures';
import type { RecordPaymentInput } from './payments-service';
import { PaymentsService } from './payments-service';

const clock = fixedClock('2026-03-15T09:00:00.000Z');
let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

const TODAY = '2026-03-15';

/**
 * A small association on 15 March 2026 (calendar-year dues, 30 days of grace), one member per status, with a
 * deleted member's payment, a reversal inside 2026 and one across the new year.
 */
function association() {
  clock.set('2026-03-15T09:00:00.000Z');
  core = tempCore({ clock });
  const payments = new PaymentsService(core);
  const exempt = new CategoriesService(core).create({ name: 'Honneur', fee: { kind: 'exempt' }, period: null, graceDays: null });
  const pay = (memberId: string, amountCents: number, paidOn: string, method: RecordPaymentInput['method'], period?: [string, string]) =>
    payments.record({
      memberId, amountCents, paidOn, method, reference: '', notes: '',
      periodStart: period?.[0] ?? null, periodEnd: period?.[1] ?? null,
    });
  const reverseOn = (day: string, paymentId: string) => {
    clock.set(`${day}T09:00:00.000Z`);
    payments.reverse(paymentId, 'Erreur');
    clock.set('2026-03-15T09:00:00.000Z');
  };

  const m = {
    upToDate: insertMember(core, { lastName: 'A' }),
    late: insertMember(core, { lastName: 'B' }),
    lapsed: insertMember(core, { lastName: 'C' }),
    exempt: insertMember(core, { lastName: 'D', categoryId: exempt.id }),
    never: insertMember(core, { lastName: 'E' }),
    expiring: insertMember(core, { lastName: 'F' }),
    grace: insertMember(core, { lastName: 'G' }),
    deleted: insertMember(core, { lastName: 'H' }),
    reversedIn2026: insertMember(core, { lastName: 'I' }),
    reversedAcrossYears: insertMember(core, { lastName: 'J' }),
  };
  pay(m.upToDate, 5000, '2026-01-10', 'cash');
  pay(m.late, 2000, '2025-03-01', 'cheque');
  pay(m.lapsed, 2000, '2024-06-01', 'transfer');
  pay(m.expiring, 2000, '2025-04-01', 'card', ['2025-04-01', '2026-03-31']);
  pay(m.grace, 1500, '2025-03-02', 'helloasso', ['2025-03-02', '2026-03-01']);
  pay(m.deleted, 1000, '2026-02-01', 'cash');
  core.db.prepare("update members set deleted_at = '2026-03-01T00:00:00.000Z' where id = ?").run(m.deleted);
  reverseOn('2026-03-02', pay(m.reversedIn2026, 3000, '2026-02-20', 'transfer').id);
  reverseOn('2026-01-05', pay(m.reversedAcrossYears, 2000, '2025-12-20', 'cash').id);
  return { m, payments };
}

const months = (cents: Record<number, number>) =>
  Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, cents: cents[i + 1] ?? 0 }));

describe('dues dashboard', () => {
  it('counts members by status and sums the ledger net of reversals', () => {
    const { m } = association();
    const dashboard = duesDashboard(core, 2026, TODAY);
    expect(dashboard.today).toBe(TODAY);
    expect(dashboard.year).toBe(2026);
    expect(dashboard.counts).toEqual({ exempt: 1, never: 3, up_to_date: 1, expiring: 1, grace: 1, late: 1, lapsed: 1 });
    // January: 50 € cash, minus the December payment reversed on 5 January; February: 10 € + 30 €; March: the
    // 30 € reversal booked on the 2nd.
    expect(dashboard.incomeByMonth).toEqual(months({ 1: 3000, 2: 4000, 3: -3000 }));
    expect(dashboard.incomeByYear).toEqual([
      { year: 2024, cents: 2000 },
      { year: 2025, cents: 2000 + 2000 + 1500 + 2000 },
      { year: 2026, cents: 3000 + 4000 - 3000 },
    ]);
    expect(dashboard.totalsByMethod).toEqual([
      { method: 'cash', cents: 5000 + 1000 - 2000, count: 1 + 1 - 1 },
      { method: 'transfer', cents: 0, count: 0 },
    ]);
    expect(dashboard.overdue.map((row) => [row.id, row.status])).toEqual([
      [m.late, 'late'],
      [m.lapsed, 'lapsed'],
    ]);
  });

  it('gives another year its own months and methods', () => {
    association();
    const dashboard = duesDashboard(core, 2025, TODAY);
    expect(dashboard.incomeByMonth.map((e) => e.month)).toEqual(Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
    expect(dashboard.incomeByMonth.filter((e) => e.cents !== 0)).toEqual([
      { month: '2025-03', cents: 3500 },
      { month: '2025-04', cents: 2000 },
      { month: '2025-12', cents: 2000 },
    ]);
    expect(dashboard.totalsByMethod).toEqual([
      { method: 'cash', cents: 2000, count: 1 },
      { method: 'cheque', cents: 2000, count: 1 },
      { method: 'card', cents: 2000, count: 1 },
      { method: 'helloasso', cents: 1500, count: 1 },
    ]);
    expect(duesDashboard(core, 2031, TODAY).incomeByMonth.every((e) => e.cents === 0)).toBe(true);
  });

  it('stays exact as payments are added, by this service or written behind its back', () => {
    const { m, payments } = association();
    const before = duesDashboard(core, 2026, TODAY);
    payments.record({ memberId: m.never, amountCents: 700, paidOn: '2026-04-03', method: 'other', reference: '', notes: '', periodStart: null, periodEnd: null });
    expect(duesDashboard(core, 2026, TODAY).counts).toEqual({ ...before.counts, never: 2, up_to_date: 2 });
    // Another connection (the CLI, an import) appends rows too.
    core.db
      .prepare(
        `insert into payments (id, member_id, amount_cents, paid_on, method, period_start, period_end, created_at)
         values ('outside', ?, 900, '2026-01-31', 'cash', '2026-01-01', '2026-12-31', '')`,
      )
      .run(m.late);
    const after = duesDashboard(core, 2026, TODAY);
    expect(after.incomeByMonth).toEqual(months({ 1: 3900, 2: 4000, 3: -3000, 4: 700 }));
    expect(after.incomeByYear.at(-1)).toEqual({ year: 2026, cents: 4000 + 700 + 900 });
    expect(after.totalsByMethod).toEqual([
      { method: 'cash', cents: 4900, count: 2 },
      { method: 'transfer', cents: 0, count: 0 },
      { method: 'other', cents: 700, count: 1 },
    ]);
  });
});
