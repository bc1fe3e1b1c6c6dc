import { afterEach, describe, expect, it } from 'vitest';
import type { CategoryInput, FeeRule, PeriodRule } from '../../contract';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { CategoriesService } from './categories-service';
import { insertMember } from './dues-test-fixtures';
import type { RecordPaymentInput } from './payments-service';
import { ledgerEntry, PaymentsService } from './payments-service';
import { memberStatus } from './status';

const clock = fixedClock('2026-03-10T09:00:00.000Z');
let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

function setup() {
  clock.set('2026-03-10T09:00:00.000Z');
  core = tempCore({ clock });
  return { payments: new PaymentsService(core), categories: new CategoriesService(core) };
}

const category = (fee: FeeRule, period: PeriodRule | null = null, name = `Cat ${fee.kind} ${JSON.stringify(period)}`): CategoryInput => ({
  name,
  fee,
  period,
  graceDays: null,
});

const payment = (memberId: string, overrides: Partial<RecordPaymentInput> = {}): RecordPaymentInput => ({
  memberId,
  amountCents: 2000,
  paidOn: '2026-03-10',
  method: 'cheque',
  reference: 'CHQ 1234',
  periodStart: null,
  periodEnd: null,
  notes: '',
  ...overrides,
});

const refusal = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

const count = (table: string): unknown => core.db.prepare(`select count(*) from ${table}`).pluck().get();

describe('default period', () => {
  it('follows the association rule for a member without category override', () => {
    const { payments, categories } = setup();
    const plain = insertMember(core);
    const inheriting = insertMember(core, { categoryId: categories.create(category({ kind: 'fixed', amountCents: 2000 })).id });
    expect(payments.defaultPeriod(plain, '2026-03-10')).toEqual({ periodStart: '2026-01-01', periodEnd: '2026-12-31' });

    core.settings.update({ duesPeriod: { kind: 'fiscal_year' }, fiscalYearStartMonth: 9 });
    for (const member of [plain, inheriting]) {
      expect(payments.defaultPeriod(member, '2026-03-10')).toEqual({ periodStart: '2025-09-01', periodEnd: '2026-08-31' });
      expect(payments.defaultPeriod(member, '2026-09-01')).toEqual({ periodStart: '2026-09-01', periodEnd: '2027-08-31' });
    }
  });

  it('follows the category rule over the association one', () => {
    const { payments, categories } = setup();
    core.settings.update({ duesPeriod: { kind: 'fiscal_year' }, fiscalYearStartMonth: 9 });
    const fee: FeeRule = { kind: 'fixed', amountCents: 2000 };
    const rolling = insertMember(core, { categoryId: categories.create(category(fee, { kind: 'rolling_months', months: 12 })).id });
    const calendar = insertMember(core, { categoryId: categories.create(category(fee, { kind: 'calendar_year' })).id });
    const sixMonths = insertMember(core, { categoryId: categories.create(category(fee, { kind: 'rolling_months', months: 6 })).id });
    expect(payments.defaultPeriod(rolling, '2026-03-10')).toEqual({ periodStart: '2026-03-10', periodEnd: '2027-03-09' });
    expect(payments.defaultPeriod(calendar, '2026-09-15')).toEqual({ periodStart: '2026-01-01', periodEnd: '2026-12-31' });
    expect(payments.defaultPeriod(sixMonths, '2026-08-31')).toEqual({ periodStart: '2026-08-31', periodEnd: '2027-02-27' });

    // A category on the fiscal year uses the association's start month.
    core.settings.update({ duesPeriod: { kind: 'calendar_year' } });
    const fiscal = insertMember(core, { categoryId: categories.create(category(fee, { kind: 'fiscal_year' })).id });
    expect(payments.defaultPeriod(fiscal, '2026-03-10')).toEqual({ periodStart: '2025-09-01', periodEnd: '2026-08-31' });
  });

  it('is what record stores when no period is given, and a given period is kept', () => {
    const { payments } = setup();
    const member = insertMember(core);
    expect(payments.record(payment(member))).toMatchObject({ periodStart: '2026-01-01', periodEnd: '2026-12-31' });
    const next = payments.record(payment(member, { paidOn: '2026-11-20', periodStart: '2027-01-01', periodEnd: '2027-12-31' }));
    expect(next).toMatchObject({ periodStart: '2027-01-01', periodEnd: '2027-12-31' });
    expect(refusal(() => payments.record(payment(member, { periodStart: '2027-01-01', periodEnd: '2026-12-31' })))).toMatchObject({
      code: 'period_end_before_start',
    });
  });
});

describe('recording a payment', () => {
  it.each([
    ['a fixed fee, exact amount', { kind: 'fixed', amountCents: 2000 }, 2000, null],
    ['a fixed fee, another amount', { kind: 'fixed', amountCents: 2000 }, 2500, { code: 'amount_must_equal_fee', details: { feeCents: 2000 } }],
    ['pay what you want, at the minimum', { kind: 'pay_what_you_want', minimumCents: 500 }, 500, null],
    ['pay what you want, below it', { kind: 'pay_what_you_want', minimumCents: 500 }, 499, { code: 'amount_below_minimum', details: { minimumCents: 500 } }],
    ['an exempt category', { kind: 'exempt' }, 2000, { code: 'category_is_exempt' }],
    ['nothing paid', { kind: 'pay_what_you_want', minimumCents: 0 }, 0, { code: 'amount_must_be_positive' }],
  ] as const)('checks the amount against %s', (_label, fee, amountCents, expected) => {
    const { payments, categories } = setup();
    const member = insertMember(core, { categoryId: categories.create(category(fee)).id });
    if (expected === null) {
      expect(payments.record(payment(member, { amountCents })).amountCents).toBe(amountCents);
    } else {
      expect(refusal(() => payments.record(payment(member, { amountCents })))).toMatchObject({
        ...expected,
        details: { ...('details' in expected ? expected.details : {}), memberId: member },
      });
      expect(count('payments')).toBe(0);
    }
  });

  it('accepts any positive amount from a member without category, never zero', () => {
    const { payments } = setup();
    const member = insertMember(core);
    expect(payments.record(payment(member, { amountCents: 1 })).amountCents).toBe(1);
    expect(payments.record(payment(member, { amountCents: 123_456 })).amountCents).toBe(123_456);
    expect(refusal(() => payments.record(payment(member, { amountCents: 0 })))).toMatchObject({ code: 'amount_must_be_positive' });
  });

  it('refuses unknown, deleted and erased members', () => {
    const { payments } = setup();
    const ids = [
      '00000000-0000-4000-8000-000000000000',
      insertMember(core, { deletedAt: '2026-01-01T00:00:00.000Z' }),
      insertMember(core, { erasedAt: '2026-01-01T00:00:00.000Z' }),
    ];
    for (const memberId of ids) {
      expect(refusal(() => payments.record(payment(memberId)))).toMatchObject({ code: 'member_not_found', details: { memberId } });
      expect(refusal(() => payments.defaultPeriod(memberId, '2026-03-10'))).toMatchObject({ code: 'member_not_found' });
    }
    expect(count('payments')).toBe(0);
  });

  it('records an import reference once', () => {
    const { payments } = setup();
    const member = insertMember(core);
    const first = payments.record({ ...payment(member), importRef: 'helloasso:48213', payerName: 'Jeanne Martin' });
    expect(first.payerName).toBe('Jeanne Martin');
    expect(core.audit.list({ entity: 'payment', entityId: first.id })[0]?.changes).toMatchObject({ importRef: { from: null, to: 'helloasso:48213' } });
    expect(JSON.stringify(core.audit.list({ entity: 'payment' }))).not.toContain('Jeanne');
    expect(payments.findByImportRef('helloasso:48213')).toEqual(first);
    expect(payments.findByImportRef('helloasso:1')).toBeNull();
    expect(refusal(() => payments.record({ ...payment(member), importRef: 'helloasso:48213' }))).toMatchObject({
      code: 'payment_already_imported',
      details: { importRef: 'helloasso:48213' },
    });
    // An empty reference is no reference: such payments never collide.
    payments.record({ ...payment(member), importRef: '' });
    payments.record({ ...payment(member), importRef: '' });
    expect(count('payments')).toBe(3);
  });

  it('audits the payment and the member in the same transaction, then tells the lists', () => {
    const { payments } = setup();
    const member = insertMember(core);
    const seen: unknown[] = [];
    core.events.onAny((name, p) => seen.push([name, p]));
    const paid = payments.record(payment(member));
    expect(core.audit.list({ entity: 'payment', entityId: paid.id })).toMatchObject([
      {
        action: 'create',
        changes: {
          memberId: { from: null, to: member },
          amountCents: { from: null, to: 2000 },
          paidOn: { from: null, to: '2026-03-10' },
          method: { from: null, to: 'cheque' },
          periodEnd: { from: null, to: '2026-12-31' },
        },
      },
    ]);
    expect(core.audit.list({ entity: 'member', entityId: member })).toMatchObject([
      { action: 'update', changes: { payment: { from: null, to: { amount: 2000, paidOn: '2026-03-10', method: 'cheque' } } } },
    ]);
    expect(seen).toEqual([['members.changed', { ids: [member] }]]);

    core.db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => payments.record(payment(member))).toThrow(/disk full/);
    expect(count('payments')).toBe(1);
  });
});

describe('the append-only ledger', () => {
  it('refuses direct edits and deletes of payments', () => {
    const { payments } = setup();
    const paid = payments.record(payment(insertMember(core)));
    expect(() => core.db.prepare('update payments set amount_cents = 1 where id = ?').run(paid.id)).toThrow(/append-only/);
    expect(() => core.db.prepare("update payments set period_end = '2030-12-31' where id = ?").run(paid.id)).toThrow(/append-only/);
    expect(() => core.db.prepare('delete from payments where id = ?').run(paid.id)).toThrow(/append-only/);
    expect(payments.listForMember(paid.memberId)).toMatchObject([{ amountCents: 2000, periodEnd: '2026-12-31' }]);
  });

  it('cancels a payment with a reversal that nets to zero and puts the status back', () => {
    const { payments } = setup();
    const member = insertMember(core);
    const rules = { period: { kind: 'calendar_year' } as const, graceDays: 30 };
    const status = () =>
      memberStatus({ member: {}, payments: payments.listForMember(member).map(ledgerEntry), rules, today: '2026-03-10' });

    payments.record(payment(member, { paidOn: '2025-02-01', periodStart: '2025-01-01', periodEnd: '2025-12-31' }));
    const before = status();
    expect(before).toEqual({ status: 'late', paidUntil: '2025-12-31' });
    const paid = payments.record(payment(member));
    expect(status()).toEqual({ status: 'up_to_date', paidUntil: '2026-12-31' });

    clock.set('2026-04-02T08:00:00.000Z');
    const reversal = payments.reverse(paid.id, 'Chèque sans provision');
    expect(reversal).toMatchObject({
      memberId: member,
      amountCents: -2000,
      paidOn: '2026-04-02',
      method: 'cheque',
      reference: 'CHQ 1234',
      notes: 'Chèque sans provision',
      periodStart: null,
      periodEnd: null,
      reversesPaymentId: paid.id,
    });
    expect(status()).toEqual(before);
    const netOfPaid = core.db
      .prepare('select sum(amount_cents) from payments where id = ? or reverses_payment_id = ?')
      .pluck()
      .get(paid.id, paid.id);
    expect(netOfPaid).toBe(0);
    const ledger = payments.listForMember(member);
    expect(ledger.map((p) => [p.id, p.reversedBy])).toEqual([
      [reversal.id, null],
      [paid.id, reversal.id],
      [expect.any(String), null],
    ]);
  });

  it('reverses a payment once, never a reversal, never an unknown payment, and writes nothing when it refuses', () => {
    const { payments } = setup();
    const paid = payments.record(payment(insertMember(core)));
    const reversal = payments.reverse(paid.id, 'Erreur de saisie');
    const written = [count('payments'), count('audit_log')];
    expect(refusal(() => payments.reverse(paid.id, 'encore'))).toMatchObject({
      code: 'payment_already_reversed',
      details: { paymentId: paid.id },
    });
    expect(refusal(() => payments.reverse(reversal.id, 'annuler l’annulation'))).toMatchObject({ code: 'cannot_reverse_a_reversal' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(refusal(() => payments.reverse(unknown, 'x'))).toMatchObject({ code: 'payment_not_found', details: { paymentId: unknown } });
    expect([count('payments'), count('audit_log')]).toEqual(written);
  });

  it('audits a reversal on the payment and on the member', () => {
    const { payments } = setup();
    const member = insertMember(core);
    const paid = payments.record(payment(member));
    const reversal = payments.reverse(paid.id, 'Doublon');
    expect(core.audit.list({ entity: 'payment', entityId: reversal.id })).toMatchObject([
      { action: 'create', changes: { amountCents: { from: null, to: -2000 }, reversesPaymentId: { from: null, to: paid.id } } },
    ]);
    expect(core.audit.list({ entity: 'member', entityId: member }).at(-1)).toMatchObject({
      action: 'update',
      changes: { payment: { from: { amount: 2000, paidOn: '2026-03-10', method: 'cheque' }, to: null } },
    });
    // The reason is the reversal's notes, which an erasure may blank: the append-only log never copies it.
    expect(JSON.stringify(core.audit.list({ entity: 'payment' }))).not.toContain('Doublon');
  });
});

describe('bulk renewal', () => {
  const bulk = (memberIds: string[], amountCents: number | null = null) => ({
    memberIds,
    amountCents,
    paidOn: '2026-03-10',
    method: 'transfer' as const,
    reference: 'AG 2026',
    notes: '',
  });

  it('takes each member’s fixed fee, in one go, and tells the lists once', () => {
    const { payments, categories } = setup();
    const full = categories.create(category({ kind: 'fixed', amountCents: 2000 }, null, 'Plein'));
    const reduced = categories.create(category({ kind: 'fixed', amountCents: 800 }, { kind: 'rolling_months', months: 12 }, 'Réduit'));
    const a = insertMember(core, { categoryId: full.id });
    const b = insertMember(core, { categoryId: reduced.id });
    const seen: unknown[] = [];
    core.events.onAny((name, p) => seen.push([name, p]));
    const paid = payments.recordBulk(bulk([a, b, a]));
    expect(paid.map((p) => [p.memberId, p.amountCents, p.periodStart, p.periodEnd, p.reference])).toEqual([
      [a, 2000, '2026-01-01', '2026-12-31', 'AG 2026'],
      [b, 800, '2026-03-10', '2027-03-09', 'AG 2026'],
    ]);
    expect(seen).toEqual([['members.changed', { ids: [a, b] }]]);
    expect(core.audit.list({ entity: 'payment' })).toHaveLength(2);
  });

  it('uses the given amount for everyone, checked against each fee rule', () => {
    const { payments, categories } = setup();
    const free = categories.create(category({ kind: 'pay_what_you_want', minimumCents: 500 }, null, 'Libre'));
    const ids = [insertMember(core, { categoryId: free.id }), insertMember(core)];
    expect(payments.recordBulk(bulk(ids, 1500)).map((p) => p.amountCents)).toEqual([1500, 1500]);
    expect(refusal(() => payments.recordBulk(bulk(ids, 100)))).toMatchObject({ code: 'amount_below_minimum', details: { memberId: ids[0] } });
  });

  it.each([
    ['a pay-what-you-want member without amount', { kind: 'pay_what_you_want', minimumCents: 0 }, 'amount_required'],
    ['an exempt member', { kind: 'exempt' }, 'category_is_exempt'],
    ['a member without category and without amount', null, 'amount_required'],
  ] as const)('writes nothing when one member is %s', (_label, fee, code) => {
    const { payments, categories } = setup();
    const full = categories.create(category({ kind: 'fixed', amountCents: 2000 }, null, 'Plein'));
    const good = [insertMember(core, { categoryId: full.id }), insertMember(core, { categoryId: full.id })];
    const bad = insertMember(core, { categoryId: fee ? categories.create(category(fee, null, 'Autre')).id : null });
    const before = count('audit_log');
    expect(refusal(() => payments.recordBulk(bulk([good[0]!, bad, good[1]!])))).toMatchObject({ code, details: { memberId: bad } });
    expect(count('payments')).toBe(0);
    expect(count('audit_log')).toBe(before);
  });

  it('writes nothing when one member is unknown', () => {
    const { payments, categories } = setup();
    const full = categories.create(category({ kind: 'fixed', amountCents: 2000 }, null, 'Plein'));
    const good = insertMember(core, { categoryId: full.id });
    const gone = insertMember(core, { categoryId: full.id, deletedAt: '2026-01-01T00:00:00.000Z' });
    expect(refusal(() => payments.recordBulk(bulk([good, gone])))).toMatchObject({ code: 'member_not_found', details: { memberId: gone } });
    expect(count('payments')).toBe(0);
  });
});
