import { describe, expect, it } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import { testTeam } from './engine/test-team';

const LABELS = {
  title: 'Reçu de cotisation', receiptNumber: 'Reçu n°', receivedFrom: 'Reçu de', amount: 'La somme de',
  amountInWords: 'En lettres', paymentDate: 'Date du paiement', paymentMethod: 'Mode de paiement', methodLabel: 'Espèces',
  reference: 'Référence', period: 'Période couverte', periodRange: 'du {start} au {end}', issuedOn: 'Fait le',
  signature: '', footer: '',
};

const team = testTeam();
const make = team.laptop;
const folder = team.folder;

describe('the receipt book', () => {
  it('only the computer holding it numbers new receipts; any computer prints one already numbered; it can be handed over', async () => {
    const dir = folder();
    const a = make('a');
    const b = make('b');
    await a.call('settings.update', { associationName: 'Les Chatons', volunteerName: 'Anne' });
    const sheet = await a.call('sync.create', { folder: dir, keyFile: null });
    await b.call('sync.join', { folder: dir, key: sheet.key, keyFile: null });
    expect((await a.call('sync.status', {})).receiptBook).toMatchObject({ here: true });
    expect((await b.call('sync.status', {})).receiptBook).toMatchObject({ here: false, holderName: 'Anne' });

    const member = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '1', firstName: 'Hélène', lastName: 'Roux' } });
    const first = await a.call('payments.record', { memberId: member.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    const second = await a.call('payments.record', { memberId: member.id, amountCents: 500, paidOn: '2026-02-15', method: 'cash' });
    const numbered = await a.call('receipts.render', { paymentId: first.id, labels: LABELS });
    await a.call('sync.now', {});
    await b.call('sync.now', {});

    expect((await b.call('receipts.render', { paymentId: first.id, labels: LABELS })).number).toBe(numbered.number);
    await expect(b.call('receipts.render', { paymentId: second.id, labels: LABELS })).rejects.toMatchObject({ code: 'receipt_book_elsewhere' });

    // Anne's laptop is replaced: B takes the book, and the numbering carries on without a gap.
    await b.call('sync.takeReceiptBook', {});
    const next = await b.call('receipts.render', { paymentId: second.id, labels: LABELS });
    expect(next.number).toBe(`${numbered.number.slice(0, 5)}${String(Number(numbered.number.slice(5)) + 1).padStart(4, '0')}`);
    await b.call('sync.now', {});
    await a.call('sync.now', {});
    expect((await a.call('sync.status', {})).receiptBook).toMatchObject({ here: false });
    const third = await a.call('payments.record', { memberId: member.id, amountCents: 700, paidOn: '2026-03-15', method: 'cash' });
    await expect(a.call('receipts.render', { paymentId: third.id, labels: LABELS })).rejects.toMatchObject({ code: 'receipt_book_elsewhere' });
  });

  it('outside a team, nothing changes', async () => {
    const a = make('solo');
    const member = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '1', lastName: 'Roux' } });
    const paid = await a.call('payments.record', { memberId: member.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    expect((await a.call('receipts.render', { paymentId: paid.id, labels: LABELS })).number).toMatch(/^\d{4}-0001$/);
    expect((await a.call('sync.status', {})).receiptBook).toBeNull();
  });
});
