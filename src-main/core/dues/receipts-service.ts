import type { FilePayload, ReceiptLabelsInput } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { displayName } from '../members/display-name';
import { isoToday } from '../clock';
import type { ReceiptData } from './receipts/receipt-pdf';
import { renderReceiptPdf } from './receipts/receipt-pdf';
import { writeTransaction } from '../db/write-transaction';
import { requireReceiptBook } from '../sync/receipt-book';

interface ReceiptRow {
  number: string;
  issued_on: string;
}

interface PaymentForReceipt {
  member_id: string;
  amount_cents: number;
  paid_on: string;
  method: string;
  reference: string;
  period_start: string | null;
  period_end: string | null;
  reverses_payment_id: string | null;
  reversed_by: string | null;
  first_name: string;
  last_name: string;
  organisation_name: string;
  address: string;
  postcode: string;
  city: string;
  country: string;
}

/** "2026-0007": the year, then the sequence padded to four digits (more digits past 9999). */
const formatNumber = (year: number, seq: number): string => `${year}-${String(seq).padStart(4, '0')}`;

/**
 * Dues receipts. Numbers run per year without gaps and belong to their payment forever: the first render assigns
 * one, every later render reuses it with its issue date, so the same PDF comes out again.
 * The year is the year of issue (as French associations number their receipts), not of the payment: a payment
 * made in December whose receipt is asked for in January gets the new year's next number.
 */
export class ReceiptsService {
  constructor(private readonly core: Core) {}

  async render(paymentId: string, labels: ReceiptLabelsInput): Promise<FilePayload & { number: string }> {
    const payment = this.payment(paymentId);
    const settings = this.core.settings.get();
    // The amount is written out in French words with "euros": any other currency would lie on the receipt.
    if (settings.currency !== 'EUR') {
      throw new CoreError('currency_not_supported', `Receipts are in euros only, not ${settings.currency}.`, { currency: settings.currency });
    }
    if (payment.period_start === null || payment.period_end === null) throw new Error(`payment ${paymentId} has no period`);
    const receipt = this.assignNumber(paymentId);
    const { methodLabel, ...receiptLabels } = labels;
    const data: ReceiptData = {
      number: receipt.number,
      issueDate: receipt.issued_on,
      association: { name: settings.associationName, address: settings.associationAddress },
      member: {
        displayName: displayName({ firstName: payment.first_name, lastName: payment.last_name, organisationName: payment.organisation_name }),
        addressLines: [...payment.address.split(/\r?\n/), `${payment.postcode} ${payment.city}`, payment.country]
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      },
      payment: {
        amountCents: payment.amount_cents,
        currency: settings.currency,
        date: payment.paid_on,
        methodLabel,
        reference: payment.reference,
        periodStart: payment.period_start,
        periodEnd: payment.period_end,
      },
    };
    const pdf = await renderReceiptPdf(data, receiptLabels);
    return {
      number: receipt.number,
      fileName: `recu-${receipt.number}.pdf`,
      mimeType: 'application/pdf',
      base64: Buffer.from(pdf).toString('base64'),
    };
  }

  /** A payment a receipt may be issued for: not a reversal, not reversed. */
  private payment(paymentId: string): PaymentForReceipt {
    const row = this.core.db
      .prepare(
        `select p.*, r.id as reversed_by, m.first_name, m.last_name, m.organisation_name, m.address, m.postcode, m.city, m.country
         from payments p
         join members m on m.id = p.member_id
         left join payments r on r.reverses_payment_id = p.id
         where p.id = ?`,
      )
      .get(paymentId) as PaymentForReceipt | undefined;
    if (!row) throw new CoreError('payment_not_found', `No payment ${paymentId}.`, { paymentId });
    if (row.reverses_payment_id !== null) {
      throw new CoreError('receipt_for_reversal', `Payment ${paymentId} is a reversal: no receipt.`, { paymentId });
    }
    if (row.reversed_by !== null) throw new CoreError('payment_reversed', `Payment ${paymentId} was reversed.`, { paymentId });
    return row;
  }

  /**
   * The payment's number, assigned on first use. Synchronous, in one immediate transaction: neither two renders
   * started together nor another process writing the file can slip in between reading the last number and taking
   * the next.
   */
  private assignNumber(paymentId: string): ReceiptRow {
    return writeTransaction(this.core.db, () => {
      const existing = this.core.db.prepare('select number, issued_on from receipts where payment_id = ?').get(paymentId) as
        | ReceiptRow
        | undefined;
      if (existing) return existing;
      requireReceiptBook(this.core);
      const issuedOn = isoToday(this.core.clock);
      const year = Number(issuedOn.slice(0, 4));
      const seq = this.core.db.prepare('select coalesce(max(seq), 0) + 1 from receipts where year = ?').pluck().get(year) as number;
      const id = newId();
      const number = formatNumber(year, seq);
      this.core.db
        .prepare('insert into receipts (id, payment_id, year, seq, number, issued_on, created_at) values (?, ?, ?, ?, ?, ?, ?)')
        .run(id, paymentId, year, seq, number, issuedOn, isoNow(this.core.clock));
      this.core.audit.record({
        entity: 'receipt',
        entityId: id,
        action: 'create',
        changes: { number: { from: null, to: number }, paymentId: { from: null, to: paymentId }, issuedOn: { from: null, to: issuedOn } },
      });
      return { number, issued_on: issuedOn };
    });
  }
}
