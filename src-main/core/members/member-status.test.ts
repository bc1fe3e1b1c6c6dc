import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { memberSearchSchema } from '../../contract/members';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { addDays, memberStatus, resolveDuesRules, type LedgerEntry } from '../dues/status';
import { memberDetail } from './member-detail';
import { paidUntilByMember, statusContext } from './member-status';
import { searchMembers } from './member-search';
import { MembersService } from './members-service';
import { insertCategory, insertPayment, insertReversal, memberInput } from './members-test-fixtures';

const clock = fixedClock('2026-03-15T10:00:00.000Z');
let core: ReturnType<typeof tempCore> | undefined;
afterEach(() => {
  core?.cleanup();
  core = undefined;
});

/** A member's ledger as the schema allows it: payments, each reversed at most once, reversals maybe reversed too. */
const ledgerArb = fc.record({
  category: fc.constantFrom('none', 'default', 'rolling', 'exempt'),
  payments: fc.array(fc.record({ end: fc.integer({ min: -900, max: 500 }), length: fc.integer({ min: 0, max: 400 }), reversed: fc.boolean() }), {
    maxLength: 5,
  }),
  reverseAReversal: fc.boolean(),
});

describe('bulk dues status', () => {
  it('agrees with the pure memberStatus on random ledgers', () => {
    fc.assert(
      fc.property(fc.array(ledgerArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: -60, max: 60 }), (ledgers, todayOffset) => {
        const core = tempCore({ clock });
        try {
          core.settings.update({ duesGraceDays: 20 });
          const association = { period: { kind: 'calendar_year' as const }, graceDays: 20 };
          const categoryIds = {
            none: null,
            default: insertCategory(core, { name: 'Adhésion' }),
            rolling: insertCategory(core, { name: 'Mensuel', rollingMonths: 3, graceDays: 5 }),
            exempt: insertCategory(core, { name: 'Honneur', fee: 'exempt' }),
          };
          const overrides = { none: {}, default: {}, rolling: { period: { kind: 'rolling_months' as const, months: 3 }, graceDays: 5 }, exempt: {} };
          const today = addDays('2026-03-15', todayOffset);
          const service = new MembersService(core);
          const expected = new Map<string, ReturnType<typeof memberStatus>>();
          ledgers.forEach((ledger, i) => {
            const categoryId = categoryIds[ledger.category];
            const { id } = service.create(memberInput({ number: String(i + 1), lastName: `M${i}`, categoryId }), { allowDuplicate: true });
            const entries: LedgerEntry[] = [];
            let lastReversal: string | null = null;
            for (const p of ledger.payments) {
              const periodEnd = addDays('2026-03-15', p.end);
              const periodStart = addDays(periodEnd, -p.length);
              const paymentId = insertPayment(core, { memberId: id, periodStart, periodEnd });
              entries.push({ id: paymentId, amountCents: 2000, date: periodStart, method: 'cheque', reference: '', periodStart, periodEnd, reversesPaymentId: null });
              if (p.reversed) {
                lastReversal = insertReversal(core, { memberId: id, reverses: paymentId });
                entries.push({ id: lastReversal, amountCents: -2000, date: '2026-01-15', method: 'cheque', reference: '', reversesPaymentId: paymentId });
              }
            }
            if (ledger.reverseAReversal && lastReversal) {
              const id2 = insertReversal(core, { memberId: id, reverses: lastReversal });
              entries.push({ id: id2, amountCents: 2000, date: '2026-01-15', method: 'cheque', reference: '', reversesPaymentId: lastReversal });
            }
            const rules = resolveDuesRules(association, overrides[ledger.category]);
            expected.set(id, memberStatus({ member: { categoryExempt: ledger.category === 'exempt' }, payments: entries, rules, today }));
          });

          const paidUntil = paidUntilByMember(core.db);
          const context = statusContext(core, today);
          const rows = searchMembers(core, memberSearchSchema.parse({ limit: 1000 }), today).rows;
          expect(rows).toHaveLength(ledgers.length);
          for (const row of rows) {
            const want = expected.get(row.id);
            expect(paidUntil.get(row.id) ?? null).toBe(want?.paidUntil);
            expect(context.rowStatus(row.categoryId, row.paidUntil)).toBe(want?.status);
            expect({ status: row.status, paidUntil: row.paidUntil }).toEqual(want);
            expect(memberDetail(core, row.id, today)).toMatchObject(want ?? {});
          }
        } finally {
          core.cleanup();
        }
      }),
      { numRuns: 40, seed: 20260315 },
    );
  });
});

describe('member detail', () => {
  it('shows the ledger in the order it happened, with reversals, receipts and the history', () => {
    const local = tempCore({ clock });
    core = local;
    const category = insertCategory(local, { name: 'Adhésion' });
    const members = new MembersService(local);
    const member = members.create(memberInput({ firstName: '', lastName: '', organisationName: 'Les Chatons', categoryId: category }), {
      allowDuplicate: false,
    });
    const later = insertPayment(local, { memberId: member.id, periodEnd: '2026-12-31', paidOn: '2026-01-20' });
    const earlier = insertPayment(local, { memberId: member.id, periodEnd: '2025-12-31', paidOn: '2025-01-20' });
    const reversal = insertReversal(local, { memberId: member.id, reverses: later, paidOn: '2026-02-01' });
    local.db
      .prepare(`insert into receipts (id, payment_id, year, seq, number, issued_on, created_at) values ('r', ?, 2025, 1, '2025-0001', '2025-01-20', 'x')`)
      .run(earlier);

    const detail = memberDetail(local, member.id, '2026-03-15');
    expect(detail).toMatchObject({ displayName: 'Les Chatons', categoryName: 'Adhésion', status: 'late', paidUntil: '2025-12-31' });
    expect(detail.member).toEqual(members.get(member.id));
    expect(detail.payments.map((p) => [p.id, p.reversedBy, p.receiptNumber])).toEqual([
      [earlier, null, '2025-0001'],
      [later, reversal, null],
      [reversal, null, null],
    ]);
    expect(detail.audit.map((e) => e.action)).toEqual(['create']);
  });
});
