import type { Category, CategoryInput, FeeRule, PeriodRule } from '../../../src-main/contract';
import { categoryInputSchema, graceDaysSchema, periodRuleSchema } from '../../../src-main/contract/dues';
import { parseAmountCents } from '../../components/members/format';

/** The category form as typed: text fields stay text until the user saves. */
export interface CategoryDraft {
  name: string;
  feeKind: FeeRule['kind'];
  /** The fixed amount, or the minimum of "pay what you want". */
  amount: string;
  /** 'association': no override, the Settings rule applies. */
  periodKind: PeriodRule['kind'] | 'association';
  months: string;
  /** Blank: the association's grace period. */
  graceDays: string;
}

/** The fields to fix; the name says why (a translation key under dues.categories.nameErrors). */
export interface DraftErrors {
  name?: 'required' | 'tooLong';
  amount?: true;
  months?: true;
  graceDays?: true;
}

export const emptyDraft = (): CategoryDraft => ({
  name: '',
  feeKind: 'fixed',
  amount: '',
  periodKind: 'association',
  months: '12',
  graceDays: '',
});

export function draftFromCategory(category: Category, language: string): CategoryDraft {
  const { fee, period } = category;
  const amountCents = fee.kind === 'fixed' ? fee.amountCents : fee.kind === 'pay_what_you_want' ? fee.minimumCents : 0;
  return {
    name: category.name,
    feeKind: fee.kind,
    amount: fee.kind === 'exempt' ? '' : centsToInput(amountCents, language),
    periodKind: period?.kind ?? 'association',
    months: String(period?.kind === 'rolling_months' ? period.months : 12),
    graceDays: category.graceDays === null ? '' : String(category.graceDays),
  };
}

/** Cents back into the form's text, with the language's decimal mark: 1250 → "12,50" (fr) or "12.50" (en). */
export function centsToInput(cents: number, language: string): string {
  const mark = language.startsWith('fr') ? ',' : '.';
  return `${Math.floor(cents / 100)}${mark}${String(cents % 100).padStart(2, '0')}`;
}

const wholeNumber = (text: string) => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : null);

function readFee(draft: CategoryDraft): FeeRule | null {
  if (draft.feeKind === 'exempt') return { kind: 'exempt' };
  if (draft.feeKind === 'fixed') {
    const cents = parseAmountCents(draft.amount);
    return cents === null || cents === 0 ? null : { kind: 'fixed', amountCents: cents };
  }
  // A blank minimum is no minimum.
  const minimum = draft.amount.trim() === '' ? 0 : parseAmountCents(draft.amount);
  return minimum === null ? null : { kind: 'pay_what_you_want', minimumCents: minimum };
}

function readPeriod(draft: CategoryDraft): PeriodRule | null | undefined {
  if (draft.periodKind === 'association') return null;
  if (draft.periodKind !== 'rolling_months') return { kind: draft.periodKind };
  const parsed = periodRuleSchema.safeParse({ kind: 'rolling_months', months: wholeNumber(draft.months) });
  return parsed.success ? parsed.data : undefined;
}

/** The contract's input, or the fields to fix; the contract's own schema has the last word. */
export function readDraft(draft: CategoryDraft): { input: CategoryInput | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  if (draft.name.trim() === '') errors.name = 'required';
  const fee = readFee(draft);
  if (!fee) errors.amount = true;
  const period = readPeriod(draft);
  if (period === undefined) errors.months = true;
  const grace = draft.graceDays.trim() === '' ? null : graceDaysSchema.safeParse(wholeNumber(draft.graceDays));
  if (grace && !grace.success) errors.graceDays = true;
  if (Object.keys(errors).length > 0 || !fee || period === undefined) return { input: null, errors };

  const parsed = categoryInputSchema.safeParse({ name: draft.name, fee, period, graceDays: grace?.data ?? null });
  if (parsed.success) return { input: parsed.data, errors };
  // Only the name can still be wrong here: it is the one free-text field (too long).
  return { input: null, errors: { name: 'tooLong' } };
}
