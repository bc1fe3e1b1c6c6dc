import type { z } from 'zod';
import type { FeeRule, ParsedArgsOf, Payment, PaymentMethod, PaymentView } from '../../contract';
import type { paymentInputSchema } from '../../contract/dues';
import { diffFields } from '../audit/audit-log';
import { isoNow, isoToday } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { CategoriesService } from './categories-service';
import type { DuesRulesOverride, LedgerEntry, Period } from './status';
import { computePeriod, resolveDuesRules, validatePaymentAmount, validatePaymentPeriod, validateReversal } from './status';
import { writeTransaction } from '../db/write-transaction';

export type RecordPaymentInput = z.output<typeof paymentInputSchema> & { payerName?: string; importRef?: string | null };
export type RecordBulkInput = ParsedArgsOf<'payments.recordBulk'>;

interface PaymentRow {
  id: string;
  member_id: string;
  amount_cents: number;
  paid_on: string;
  method: PaymentMethod;
  reference: string;
  period_start: string | null;
  period_end: string | null;
  notes: string;
  payer_name: string;
  reverses_payment_id: string | null;
  import_ref: string | null;
  created_at: string;
}

interface PayingMember {
  id: string;
  fee: FeeRule | null;
  rules: DuesRulesOverride;
}

/** A member without a category pays what they want, any positive amount: the treasurer knows best. */
const NO_CATEGORY_FEE: FeeRule = { kind: 'pay_what_you_want', minimumCents: 0 };

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    memberId: row.member_id,
    amountCents: row.amount_cents,
    paidOn: row.paid_on,
    method: row.method,
    reference: row.reference,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    notes: row.notes,
    payerName: row.payer_name,
    reversesPaymentId: row.reverses_payment_id,
    createdAt: row.created_at,
  };
}

/** The pure ledger rules' view of a stored payment. */
export function ledgerEntry(p: Payment): LedgerEntry {
  const base = { id: p.id, amountCents: p.amountCents, date: p.paidOn, method: p.method, reference: p.reference };
  if (p.reversesPaymentId !== null) return { ...base, reversesPaymentId: p.reversesPaymentId };
  if (p.periodStart === null || p.periodEnd === null) throw new Error(`payment ${p.id} has no period`);
  return { ...base, periodStart: p.periodStart, periodEnd: p.periodEnd, reversesPaymentId: null };
}

/** What the member's audit trail shows of a payment. */
const paymentSummary = (p: Payment) => ({ amount: p.amountCents, paidOn: p.paidOn, method: p.method });

/**
 * The dues ledger. Append-only (the schema's triggers refuse edits): a wrong payment is cancelled by a reversal.
 * Every write lands with its audit entries, on the payment and on the member, in one transaction.
 */
export class PaymentsService {
  private readonly categories: CategoriesService;

  constructor(private readonly core: Core) {
    this.categories = new CategoriesService(core);
  }

  /** The period a payment on `paidOn` covers: the member's category rule, else the association's. */
  defaultPeriod(memberId: string, paidOn: string): Period {
    return this.periodFor(this.payingMember(memberId), paidOn);
  }

  record(input: RecordPaymentInput): Payment {
    const payment = writeTransaction(this.core.db, () => this.insert(this.payingMember(input.memberId), input));
    this.core.events.emit('members.changed', { ids: [payment.memberId] });
    return payment;
  }

  findByImportRef(ref: string): Payment | null {
    const row = this.core.db.prepare('select * from payments where import_ref = ?').get(ref) as PaymentRow | undefined;
    return row ? toPayment(row) : null;
  }

  /**
   * Appends the entry cancelling `paymentId`, dated today (the day the correction is booked: a closed month's
   * income is never rewritten), with the negated amount, the same method and reference, and the reason as notes.
   */
  reverse(paymentId: string, reason: string): Payment {
    const reversal = writeTransaction(this.core.db, () => {
      const target = this.get(paymentId);
      const refusal = validateReversal(this.ledgerOf(target.memberId), paymentId);
      if (refusal) throw new CoreError(refusal.code, `Payment ${paymentId} cannot be reversed: ${refusal.code}.`, refusal.params);
      const id = newId();
      this.core.db
        .prepare(
          `insert into payments (id, member_id, amount_cents, paid_on, method, reference, notes, payer_name, reverses_payment_id, created_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, target.memberId, -target.amountCents, isoToday(this.core.clock), target.method, target.reference, reason,
          target.payerName, target.id, isoNow(this.core.clock));
      const entry = this.get(id);
      this.core.audit.record({ entity: 'payment', entityId: id, action: 'create', changes: diffFields({}, auditFields(entry)) });
      this.core.audit.record({
        entity: 'member',
        entityId: target.memberId,
        action: 'update',
        changes: { payment: { from: paymentSummary(target), to: null } },
      });
      return entry;
    });
    this.core.events.emit('members.changed', { ids: [reversal.memberId] });
    return reversal;
  }

  /**
   * The same renewal for several members, all or nothing. The amount, when not given, is each member's fixed
   * fee; a member listed twice pays once.
   */
  recordBulk(input: RecordBulkInput): Payment[] {
    const memberIds = [...new Set(input.memberIds)];
    const payments = writeTransaction(this.core.db, () =>
      memberIds.map((memberId) => {
        const member = this.payingMember(memberId);
        const amountCents = input.amountCents ?? this.fixedFee(member);
        const { paidOn, method, reference, notes } = input;
        return this.insert(member, { memberId, amountCents, paidOn, method, reference, notes, periodStart: null, periodEnd: null });
      }),
    );
    this.core.events.emit('members.changed', { ids: memberIds });
    return payments;
  }

  /** Newest first; a reversed payment stays listed next to its reversal. */
  listForMember(memberId: string): PaymentView[] {
    const rows = this.core.db
      .prepare(
        `select p.*, r.id as reversed_by, rc.number as receipt_number
         from payments p
         left join payments r on r.reverses_payment_id = p.id
         left join receipts rc on rc.payment_id = p.id
         where p.member_id = ?
         order by p.paid_on desc, p.created_at desc, p.rowid desc`,
      )
      .all(memberId) as (PaymentRow & { reversed_by: string | null; receipt_number: string | null })[];
    return rows.map((row) => ({ ...toPayment(row), reversedBy: row.reversed_by, receiptNumber: row.receipt_number }));
  }

  private get(id: string): Payment {
    const payment = this.find(id);
    if (!payment) throw new CoreError('payment_not_found', `No payment ${id}.`, { paymentId: id });
    return payment;
  }

  private find(id: string): Payment | null {
    const row = this.core.db.prepare('select * from payments where id = ?').get(id) as PaymentRow | undefined;
    return row ? toPayment(row) : null;
  }

  private ledgerOf(memberId: string): LedgerEntry[] {
    const rows = this.core.db.prepare('select * from payments where member_id = ?').all(memberId) as PaymentRow[];
    return rows.map((row) => ledgerEntry(toPayment(row)));
  }

  /** A member who may pay: exists, neither deleted nor erased; with the category's fee and rule overrides. */
  private payingMember(memberId: string): PayingMember {
    const row = this.core.db
      .prepare('select category_id from members where id = ? and deleted_at is null and erased_at is null')
      .get(memberId) as { category_id: string | null } | undefined;
    if (!row) throw new CoreError('member_not_found', `No member ${memberId}.`, { memberId });
    if (row.category_id === null) return { id: memberId, fee: null, rules: {} };
    const category = this.categories.rules(row.category_id);
    return { id: memberId, fee: category.fee, rules: { period: category.period, graceDays: category.graceDays } };
  }

  private periodFor(member: PayingMember, paidOn: string): Period {
    const settings = this.core.settings.get();
    const rules = resolveDuesRules({ period: settings.duesPeriod, graceDays: settings.duesGraceDays }, member.rules);
    return computePeriod(rules.period, paidOn, settings.fiscalYearStartMonth);
  }

  private fixedFee(member: PayingMember): number {
    if (member.fee?.kind === 'fixed') return member.fee.amountCents;
    if (member.fee?.kind === 'exempt') {
      throw new CoreError('category_is_exempt', `Member ${member.id} is exempt from dues.`, { memberId: member.id });
    }
    throw new CoreError('amount_required', `Member ${member.id} has no fixed fee: give the amount.`, { memberId: member.id });
  }

  /** Validates, inserts and audits one payment; the caller holds the transaction. */
  private insert(member: PayingMember, input: RecordPaymentInput): Payment {
    // An imported payment records what the platform actually took (a fee plus a donation, last year's price):
    // only a positive amount is required of it. The fee rule guides what the treasurer types.
    const fee = input.importRef ? NO_CATEGORY_FEE : (member.fee ?? NO_CATEGORY_FEE);
    const amountError = validatePaymentAmount(fee, input.amountCents);
    if (amountError) {
      throw new CoreError(amountError.code, `Amount ${input.amountCents} refused for member ${member.id}: ${amountError.code}.`, {
        ...amountError.params,
        memberId: member.id,
      });
    }
    const period =
      input.periodStart !== null && input.periodEnd !== null
        ? { periodStart: input.periodStart, periodEnd: input.periodEnd }
        : this.periodFor(member, input.paidOn);
    const periodError = validatePaymentPeriod(period.periodStart, period.periodEnd);
    if (periodError) throw new CoreError(periodError.code, `Invalid period: ${periodError.code}.`, periodError.params);
    const importRef = input.importRef || null;
    if (importRef !== null && this.findByImportRef(importRef)) {
      throw new CoreError('payment_already_imported', `Payment ${importRef} was already imported.`, { importRef });
    }
    const id = newId();
    this.core.db
      .prepare(
        `insert into payments (id, member_id, amount_cents, paid_on, method, reference, period_start, period_end, notes, payer_name,
           import_ref, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, member.id, input.amountCents, input.paidOn, input.method, input.reference, period.periodStart, period.periodEnd,
        input.notes, input.payerName ?? '', importRef, isoNow(this.core.clock));
    const payment = this.get(id);
    this.core.audit.record({
      entity: 'payment',
      entityId: id,
      action: 'create',
      changes: diffFields({}, { ...auditFields(payment), importRef }),
    });
    this.core.audit.record({
      entity: 'member',
      entityId: member.id,
      action: 'update',
      changes: { payment: { from: null, to: paymentSummary(payment) } },
    });
    return payment;
  }
}

/**
 * A payment's recorded facts, for its own audit trail. Not the payer's name nor the notes: a GDPR erasure blanks
 * them on the payment, and the append-only log could not forget them.
 */
const auditFields = (p: Payment) => ({
  memberId: p.memberId,
  amountCents: p.amountCents,
  paidOn: p.paidOn,
  method: p.method,
  reference: p.reference,
  periodStart: p.periodStart,
  periodEnd: p.periodEnd,
  reversesPaymentId: p.reversesPaymentId,
});

/** Today's date as the core sees it (UTC, the clock the tests pin). */
