import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiptLabelsInput } from '../../contract';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { insertMember } from './dues-test-fixtures';
import { PaymentsService } from './payments-service';
import { ReceiptsService } from './receipts-service';
import { renderReceiptPdf } from './receipts/receipt-pdf';

const clock = fixedClock('2026-03-10T09:00:00.000Z');
let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

const LABELS: ReceiptLabelsInput = {
  title: 'Dues receipt',
  receiptNumber: 'Receipt no.',
  receivedFrom: 'Received from',
  amount: 'The sum of',
  amountInWords: 'In words',
  paymentDate: 'Payment date',
  paymentMethod: 'Payment method',
  methodLabel: 'Bank transfer',
  reference: 'Reference',
  period: 'Period covered',
  periodRange: 'from {start} to {end}',
  issuedOn: 'Issued on',
  signature: 'For the association',
  footer: 'Not a tax receipt.',
};

function setup() {
  clock.set('2026-03-10T09:00:00.000Z');
  core = tempCore({ clock });
  core.settings.update({ associationName: 'Chatons du Bocage', associationAddress: '1 rue de la Mairie\n35000 Rennes' });
  const payments = new PaymentsService(core);
  const member = insertMember(core, {
    firstName: 'Camille',
    lastName: 'Durand',
    address: ' 4 impasse des Lilas\r\nBâtiment C\n',
    postcode: '35700',
    city: 'Rennes',
  });
  const pay = (paidOn = '2026-03-10') =>
    payments.record({ memberId: member, amountCents: 2000, paidOn, method: 'transfer', reference: 'VIR 77', periodStart: null, periodEnd: null, notes: '' });
  return { payments, receipts: new ReceiptsService(core), member, pay };
}

const numbers = (): unknown[] => core.db.prepare('select number from receipts order by year, seq').pluck().all();

async function refusal(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('receipts', () => {
  it('renders the payment, the member and the association as a PDF named after its number', async () => {
    const { receipts, pay } = setup();
    const result = await receipts.render(pay().id, LABELS);
    expect(result).toMatchObject({ number: '2026-0001', fileName: 'recu-2026-0001.pdf', mimeType: 'application/pdf' });
    // The very bytes the renderer makes from the expected facts: nothing lost or misplaced on the way.
    const { methodLabel, ...labels } = LABELS;
    const expected = await renderReceiptPdf(
      {
        number: '2026-0001',
        issueDate: '2026-03-10',
        association: { name: 'Chatons du Bocage', address: '1 rue de la Mairie\n35000 Rennes' },
        member: { displayName: 'Camille Durand', addressLines: ['4 impasse des Lilas', 'Bâtiment C', '35700 Rennes'] },
        payment: {
          amountCents: 2000,
          currency: 'EUR',
          date: '2026-03-10',
          methodLabel,
          reference: 'VIR 77',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
        },
      },
      labels,
    );
    expect(result.base64).toBe(Buffer.from(expected).toString('base64'));
  });

  it('numbers receipts per year of issue without gaps, and a payment keeps its number and bytes', async () => {
    const { receipts, payments, member, pay } = setup();
    const [a, b, c] = [pay('2025-12-20'), pay(), pay()];
    const first = await receipts.render(a.id, LABELS);
    expect(first.number).toBe('2026-0001');
    expect((await receipts.render(b.id, LABELS)).number).toBe('2026-0002');
    clock.set('2026-07-01T09:00:00.000Z');
    const again = await receipts.render(a.id, LABELS);
    expect(again).toEqual(first);

    clock.set('2027-01-04T09:00:00.000Z');
    expect((await receipts.render(c.id, LABELS)).number).toBe('2027-0001');
    expect((await receipts.render(pay('2027-01-04').id, LABELS)).number).toBe('2027-0002');
    expect(numbers()).toEqual(['2026-0001', '2026-0002', '2027-0001', '2027-0002']);
    expect(payments.listForMember(member).find((p) => p.id === b.id)?.receiptNumber).toBe('2026-0002');
  });

  it('stays gapless when renders start together', async () => {
    const { receipts, pay } = setup();
    const ids = Array.from({ length: 8 }, () => pay().id);
    const results = await Promise.all([...ids, ...ids.slice(0, 3)].map((id) => receipts.render(id, LABELS)));
    expect(numbers()).toEqual(Array.from({ length: 8 }, (_, i) => `2026-${String(i + 1).padStart(4, '0')}`));
    const byPayment = new Map<string, string>();
    results.forEach((result, index) => {
      const id = [...ids, ...ids.slice(0, 3)][index]!;
      expect(byPayment.get(id) ?? result.number).toBe(result.number);
      byPayment.set(id, result.number);
    });
    expect(new Set(byPayment.values()).size).toBe(8);
  });

  it('audits the number once, when it is given', async () => {
    const { receipts, pay } = setup();
    const paymentId = pay().id;
    await receipts.render(paymentId, LABELS);
    await receipts.render(paymentId, LABELS);
    expect(core.audit.list({ entity: 'receipt' })).toMatchObject([
      {
        action: 'create',
        changes: { number: { from: null, to: '2026-0001' }, paymentId: { from: null, to: paymentId }, issuedOn: { from: null, to: '2026-03-10' } },
      },
    ]);
  });

  it('refuses reversals and reversed payments without using up a number', async () => {
    const { receipts, payments, pay } = setup();
    const kept = pay();
    const reversed = pay();
    const reversal = payments.reverse(reversed.id, 'Erreur');
    expect(await refusal(() => receipts.render(reversal.id, LABELS))).toMatchObject({ code: 'receipt_for_reversal' });
    expect(await refusal(() => receipts.render(reversed.id, LABELS))).toMatchObject({ code: 'payment_reversed', details: { paymentId: reversed.id } });
    expect(await refusal(() => receipts.render('00000000-0000-4000-8000-000000000000', LABELS))).toMatchObject({ code: 'payment_not_found' });
    expect((await receipts.render(kept.id, LABELS)).number).toBe('2026-0001');

    // Reversed after its receipt was issued: the number stays taken, the receipt is not issued again.
    payments.reverse(kept.id, 'Remboursé');
    expect(await refusal(() => receipts.render(kept.id, LABELS))).toMatchObject({ code: 'payment_reversed' });
    expect((await receipts.render(pay().id, LABELS)).number).toBe('2026-0002');
  });

  it('refuses currencies other than the euro before giving a number', async () => {
    const { receipts, pay } = setup();
    core.settings.update({ currency: 'CHF' });
    expect(await refusal(() => receipts.render(pay().id, LABELS))).toMatchObject({ code: 'currency_not_supported', details: { currency: 'CHF' } });
    expect(numbers()).toEqual([]);
  });
});
