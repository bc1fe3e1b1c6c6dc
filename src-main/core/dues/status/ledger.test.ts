import { describe, expect, it } from 'vitest';
import { effectivePayments, paidUntil, reversalOf, validateReversal, type Payment, type Reversal } from './ledger';

const payment = (id: string, periodEnd: string): Payment => ({
  id,
  amountCents: 2_000,
  date: '2025-01-10',
  method: 'cheque',
  reference: 'n° 1234',
  periodStart: '2025-01-01',
  periodEnd,
  reversesPaymentId: null,
});
const reversal = (id: string, reversesPaymentId: string): Reversal => ({
  id,
  amountCents: -2_000,
  date: '2025-02-01',
  method: 'cheque',
  reference: '',
  reversesPaymentId,
});

describe('effectivePayments', () => {
  it('drops reversed payments and the reversals themselves, even when the reversal comes first', () => {
    const ledger = [reversal('r1', 'p1'), payment('p1', '2025-12-31'), payment('p2', '2025-12-31')];
    expect(effectivePayments(ledger).map((p) => p.id)).toEqual(['p2']);
  });
  it('ignores a reversal of an unknown payment and a reversal of a reversal', () => {
    const ledger = [payment('p1', '2025-12-31'), reversal('r1', 'ghost'), reversal('r2', 'p1'), reversal('r3', 'r2')];
    expect(effectivePayments(ledger)).toEqual([]);
  });
});

describe('paidUntil', () => {
  it('is null without an effective payment', () => {
    expect(paidUntil([])).toBeNull();
    expect(paidUntil([payment('p1', '2025-12-31'), reversal('r1', 'p1')])).toBeNull();
  });
  it('is the latest period end among effective payments', () => {
    const ledger = [payment('p1', '2026-12-31'), payment('p2', '2025-12-31'), payment('p3', '2027-12-31')];
    expect(paidUntil([...ledger, reversal('r3', 'p3')])).toBe('2026-12-31');
  });
});

describe('validateReversal', () => {
  const ledger = [payment('p1', '2025-12-31'), payment('p2', '2025-12-31'), reversal('r2', 'p2')];
  it.each([
    ['p1', null],
    ['nope', 'payment_not_found'],
    ['r2', 'cannot_reverse_a_reversal'],
    ['p2', 'payment_already_reversed'],
  ])('%s → %s', (id, code) => {
    expect(validateReversal(ledger, id)).toEqual(code === null ? null : { code, params: { paymentId: id } });
  });
});

describe('reversalOf', () => {
  it('negates the amount and points at the payment', () => {
    expect(reversalOf(payment('p1', '2025-12-31'), { id: 'r1', date: '2025-03-01', reference: 'refund' })).toEqual({
      id: 'r1',
      amountCents: -2_000,
      date: '2025-03-01',
      method: 'cheque',
      reference: 'refund',
      reversesPaymentId: 'p1',
    });
  });
});
