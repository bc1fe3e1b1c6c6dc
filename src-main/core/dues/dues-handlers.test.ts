import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, MethodName, Result, ResultOf } from '../../contract';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import { insertMember } from './dues-test-fixtures';

let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

/** A typed call: the boundary returns what the contract says the method returns. */
const call = <M extends MethodName>(method: M, args: ArgsOf<M>) =>
  dispatch(createHandlers(core), method, args) as Promise<Result<ResultOf<M>>>;

const LABELS = {
  title: 'Reçu de cotisation', receiptNumber: 'Reçu n°', receivedFrom: 'Reçu de', amount: 'La somme de',
  amountInWords: 'En lettres', paymentDate: 'Date du paiement', paymentMethod: 'Mode de paiement', methodLabel: 'Espèces',
  reference: 'Référence', period: 'Période couverte', periodRange: 'du {start} au {end}', issuedOn: 'Fait le',
  signature: '', footer: '',
};

describe('dues through the contract boundary', () => {
  it('runs a treasurer’s morning: category, renewal, receipt, correction, dashboard', async () => {
    core = tempCore({ clock: fixedClock('2026-10-05T08:00:00.000Z') });
    await call('settings.update', { associationName: 'Les Chatons', duesPeriod: { kind: 'fiscal_year' }, fiscalYearStartMonth: 9 });
    const category = await call('categories.create', {
      category: { name: '  Plein tarif ', fee: { kind: 'fixed', amountCents: 2000 }, period: null, graceDays: null },
    });
    if (!category.ok) throw new Error(JSON.stringify(category.error));
    expect(category.value).toMatchObject({ name: 'Plein tarif', memberCount: 0 });
    const [a, b] = [insertMember(core, { categoryId: category.value.id }), insertMember(core, { categoryId: category.value.id })];

    expect(await call('payments.defaultPeriod', { memberId: a, paidOn: '2026-10-05' })).toEqual({
      ok: true,
      value: { periodStart: '2026-09-01', periodEnd: '2027-08-31' },
    });
    // Defaults applied by the schema: reference, notes and the period.
    const paid = await call('payments.record', { memberId: a, amountCents: 2000, paidOn: '2026-10-05', method: 'cash' });
    expect(paid).toMatchObject({ ok: true, value: { reference: '', notes: '', periodStart: '2026-09-01', periodEnd: '2027-08-31' } });
    if (!paid.ok) return;
    const bulk = await call('payments.recordBulk', { memberIds: [b], paidOn: '2026-10-05', method: 'transfer' });
    expect(bulk).toMatchObject({ ok: true, value: [{ memberId: b, amountCents: 2000 }] });

    const receipt = await call('receipts.render', { paymentId: paid.value.id, labels: LABELS });
    expect(receipt).toMatchObject({ ok: true, value: { number: '2026-0001', fileName: 'recu-2026-0001.pdf', mimeType: 'application/pdf' } });

    const reversal = await call('payments.reverse', { paymentId: paid.value.id, reason: 'Erreur de membre' });
    expect(reversal).toMatchObject({ ok: true, value: { amountCents: -2000, reversesPaymentId: paid.value.id } });
    expect(await call('payments.reverse', { paymentId: paid.value.id, reason: 'encore' })).toMatchObject({
      ok: false,
      error: { code: 'payment_already_reversed', details: { paymentId: paid.value.id } },
    });

    const dashboard = await call('dues.dashboard', { year: 2026 });
    expect(dashboard).toMatchObject({
      ok: true,
      value: {
        today: '2026-10-05',
        counts: { up_to_date: 1, never: 1 },
        incomeByYear: [{ year: 2026, cents: 2000 }],
        totalsByMethod: [
          { method: 'cash', cents: 0, count: 0 },
          { method: 'transfer', cents: 2000, count: 1 },
        ],
      },
    });

    expect(await call('categories.delete', { id: category.value.id })).toMatchObject({ ok: false, error: { code: 'category_in_use', details: { count: 2 } } });
    const renamed = await call('categories.update', { id: category.value.id, category: { name: 'Normal', fee: category.value.fee, period: null, graceDays: 10 } });
    expect(renamed).toMatchObject({ ok: true, value: { name: 'Normal', graceDays: 10, memberCount: 2 } });
    expect(await call('categories.list', {})).toMatchObject({ ok: true, value: [{ name: 'Normal' }] });
  });

  it('refuses malformed payments before anything is written', async () => {
    core = tempCore();
    const memberId = insertMember(core);
    const audit = () => core.db.prepare('select count(*) from audit_log').pluck().get();
    const before = audit();
    for (const args of [
      { memberId, amountCents: 2000, paidOn: '2026-10-05', method: 'cash', periodStart: '2026-10-01' },
      { memberId, amountCents: 2000, paidOn: '2026-10-05', method: 'cash', periodStart: '2026-10-01', periodEnd: '2026-09-30' },
      { memberId, amountCents: 20.5, paidOn: '2026-10-05', method: 'cash' },
      { memberId, amountCents: -100, paidOn: '2026-10-05', method: 'cash' },
      { memberId, amountCents: 2000, paidOn: '05/10/2026', method: 'cash' },
      { memberId, amountCents: 2000, paidOn: '2026-10-05', method: 'bitcoin' },
    ]) {
      expect(await dispatch(createHandlers(core), 'payments.record', args)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    expect(core.db.prepare('select count(*) from payments').pluck().get()).toBe(0);
    expect(audit()).toBe(before);
  });
});
