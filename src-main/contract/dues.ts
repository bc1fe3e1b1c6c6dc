import { z } from 'zod';
import { method } from './define';
import type { FilePayload } from './fields';
import { cents, id, isoDate, multilineText, text } from './fields';
import type { MemberRow } from './members';

export const DUES_STATUSES = ['exempt', 'never', 'up_to_date', 'expiring', 'grace', 'late', 'lapsed'] as const;
export type DuesStatus = (typeof DUES_STATUSES)[number];

export const PAYMENT_METHODS = ['cash', 'cheque', 'transfer', 'card', 'helloasso', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const feeRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), amountCents: cents.min(1) }).strict(),
  z.object({ kind: z.literal('exempt') }).strict(),
  z.object({ kind: z.literal('pay_what_you_want'), minimumCents: cents }).strict(),
]);
export type FeeRule = z.infer<typeof feeRuleSchema>;

export const periodRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('calendar_year') }).strict(),
  z.object({ kind: z.literal('fiscal_year') }).strict(),
  z.object({ kind: z.literal('rolling_months'), months: z.number().int().min(1).max(120) }).strict(),
]);
export type PeriodRule = z.infer<typeof periodRuleSchema>;

export const graceDaysSchema = z.number().int().min(0).max(366);

export const categoryInputSchema = z
  .object({
    name: text(120).min(1),
    fee: feeRuleSchema,
    /** null: the association's period rule and grace period (Settings). */
    period: periodRuleSchema.nullable(),
    graceDays: graceDaysSchema.nullable(),
  })
  .strict();
export type CategoryInput = z.infer<typeof categoryInputSchema>;

export interface Category extends CategoryInput {
  id: string;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface Payment {
  id: string;
  memberId: string;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string;
  /** null on a reversal entry. */
  periodStart: string | null;
  periodEnd: string | null;
  notes: string;
  payerName: string;
  /** Set on a reversal entry: the payment it cancels. */
  reversesPaymentId: string | null;
  createdAt: string;
}

/** A ledger line as the UI shows it: reversed payments stay visible next to their reversal. */
export interface PaymentView extends Payment {
  reversedBy: string | null;
  receiptNumber: string | null;
}

export const paymentInputSchema = z
  .object({
    memberId: id,
    amountCents: cents,
    paidOn: isoDate,
    method: z.enum(PAYMENT_METHODS),
    reference: text(120).default(''),
    /** Computed from the category's rule when omitted; editable by the treasurer. */
    periodStart: isoDate.nullable().default(null),
    periodEnd: isoDate.nullable().default(null),
    notes: multilineText(2000).default(''),
  })
  .strict()
  .refine((p) => (p.periodStart === null) === (p.periodEnd === null), { message: 'give both period dates or neither', path: ['periodEnd'] })
  .refine((p) => !p.periodStart || !p.periodEnd || p.periodEnd >= p.periodStart, { message: 'period ends before it starts', path: ['periodEnd'] });

export type PaymentInput = z.input<typeof paymentInputSchema>;

/** Everything on a receipt that is words: the renderer passes its translations (the core holds no UI text). */
export const receiptLabelsSchema = z
  .object({
    title: text(200),
    receiptNumber: text(200),
    receivedFrom: text(200),
    amount: text(200),
    amountInWords: text(200),
    paymentDate: text(200),
    paymentMethod: text(200),
    methodLabel: text(200),
    reference: text(200),
    period: text(200),
    periodRange: text(200),
    issuedOn: text(200),
    signature: text(200),
    footer: multilineText(500),
  })
  .strict();
export type ReceiptLabelsInput = z.infer<typeof receiptLabelsSchema>;

export interface DuesDashboard {
  today: string;
  year: number;
  counts: Record<DuesStatus, number>;
  /** The 12 months of the chosen year, '2026-01'…'2026-12', net of reversals. */
  incomeByMonth: { month: string; cents: number }[];
  incomeByYear: { year: number; cents: number }[];
  totalsByMethod: { method: PaymentMethod; cents: number; count: number }[];
  /** Late and lapsed members, for reminders. */
  overdue: MemberRow[];
}

export const duesMethods = {
  'categories.list': method<Category[]>()(z.object({ includeDeleted: z.boolean().default(false) }).strict()),
  'categories.create': method<Category>()(z.object({ category: categoryInputSchema }).strict()),
  'categories.update': method<Category>()(z.object({ id, category: categoryInputSchema }).strict()),
  'categories.delete': method<Category>()(z.object({ id }).strict()),
  /** The period a payment made on that date would cover, from the member's category rule. */
  'payments.defaultPeriod': method<{ periodStart: string; periodEnd: string }>()(
    z.object({ memberId: id, paidOn: isoDate }).strict(),
  ),
  'payments.record': method<Payment>()(paymentInputSchema),
  /** The same renewal for several members at once, in one transaction; amount from each category when omitted. */
  'payments.recordBulk': method<Payment[]>()(
    z
      .object({
        memberIds: z.array(id).min(1).max(5000),
        amountCents: cents.nullable().default(null),
        paidOn: isoDate,
        method: z.enum(PAYMENT_METHODS),
        reference: text(120).default(''),
        notes: multilineText(2000).default(''),
      })
      .strict(),
  ),
  /** Append-only ledger: a wrong payment is cancelled by a reversal entry, never edited or deleted. */
  'payments.reverse': method<Payment>()(z.object({ paymentId: id, reason: text(500).min(1) }).strict()),
  /** Numbered per year without gaps; a payment keeps its number when its receipt is rendered again. */
  'receipts.render': method<FilePayload & { number: string }>()(z.object({ paymentId: id, labels: receiptLabelsSchema }).strict()),
  'dues.dashboard': method<DuesDashboard>()(z.object({ year: z.number().int().min(1900).max(2200) }).strict()),
};
