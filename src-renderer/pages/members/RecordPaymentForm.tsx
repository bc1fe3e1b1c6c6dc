import type { Dispatch, SetStateAction } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, MemberDetail, PaymentMethod } from '../../../src-main/contract';
import { PAYMENT_METHODS, paymentInputSchema } from '../../../src-main/contract/dues';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { amountInput, currencySymbol, formatMoney, parseAmountCents, todayIso } from '../../components/members/format';
import { fieldMessages } from '../../components/members/validation';
import { useMembersStore } from '../../stores/members-store';
import { useSettingsStore } from '../../stores/settings-store';
import { useToastStore } from '../../stores/toast-store';

/** The core's refusals that are about the amount typed (codes from the fee rules). */
const AMOUNT_REFUSALS = new Set(['amount_must_equal_fee', 'amount_below_minimum', 'amount_must_be_positive', 'category_is_exempt']);

interface Draft {
  amount: string;
  paidOn: string;
  method: PaymentMethod;
  reference: string;
  periodStart: string;
  periodEnd: string;
  notes: string;
}

/** Prefills the period a payment made on that date covers, unless the date changed while the core answered. */
function fillPeriod(memberId: string, paidOn: string, setDraft: Dispatch<SetStateAction<Draft>>): void {
  void call('payments.defaultPeriod', { memberId, paidOn }).then((result) => {
    if (result.ok) setDraft((before) => (before.paidOn === paidOn ? { ...before, ...result.value } : before));
    else toastError(result.error);
  });
}

/** A payment for the open member: the amount from the category's fixed fee, the period from its rule, both editable. */
export function RecordPaymentForm({ detail, onDone }: { detail: MemberDetail; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const currency = useSettingsStore((s) => s.settings?.currency ?? 'EUR');
  const recordPayment = useMembersStore((s) => s.recordPayment);
  const category = useMembersStore((s) => s.categories.find((c) => c.id === detail.member.categoryId));
  const memberId = detail.member.id;
  const [draft, setDraft] = useState<Draft>(() => ({
    amount: category?.fee.kind === 'fixed' ? amountInput(category.fee.amountCents, i18n.language) : '',
    paidOn: todayIso(),
    method: 'transfer',
    reference: '',
    periodStart: '',
    periodEnd: '',
    notes: '',
  }));
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  /** The core's refusal of the amount (fee rules live there), shown under the amount until it is changed. */
  const [amountRefusal, setAmountRefusal] = useState<ApiError | null>(null);

  useEffect(() => fillPeriod(memberId, todayIso(), setDraft), [memberId]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((before) => ({ ...before, [key]: value }));
  const amountCents = parseAmountCents(draft.amount);
  const check = paymentInputSchema.safeParse({
    memberId,
    amountCents: amountCents ?? 0,
    paidOn: draft.paidOn,
    method: draft.method,
    reference: draft.reference,
    periodStart: draft.periodStart || null,
    periodEnd: draft.periodEnd || null,
    notes: draft.notes,
  });
  const periodRule = (draft.periodStart === '') !== (draft.periodEnd === '') ? 'members.validation.periodBoth' : 'members.validation.periodOrder';
  const messages = fieldMessages(check.error, { periodEnd: periodRule });
  if (amountCents === null) messages.amountCents = { key: 'members.validation.amount' };
  const errorOf = (field: string) => {
    const message = messages[field];
    return submitted && message ? t(message.key, message.params) : null;
  };
  const amountError = errorOf('amountCents') ?? (amountRefusal ? refusalMessage(amountRefusal) : null);

  function refusalMessage(error: ApiError): string {
    const cents = (key: string) => {
      const value = error.details?.[key];
      return typeof value === 'number' ? formatMoney(value, currency, i18n.language) : '';
    };
    return t(`members.payments.refusals.${error.code}`, { fee: cents('feeCents'), minimum: cents('minimumCents') });
  }
  const valid = check.success && amountCents !== null;

  async function save() {
    setSubmitted(true);
    if (!check.success || amountCents === null) return;
    setSaving(true);
    const refusal = await recordPayment(check.data);
    setSaving(false);
    if (!refusal) {
      push({ kind: 'success', title: t('members.payments.recorded') });
      onDone();
    } else if (AMOUNT_REFUSALS.has(refusal.code)) setAmountRefusal(refusal);
    else toastError(refusal);
  }

  return (
    <form
      className="payment-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      noValidate
      data-testid="payment-form"
    >
      <div className="form-grid form-grid-3">
        <FormField id="payment-amount" label={t('members.payments.amountLabel', { currency: currencySymbol(currency, i18n.language) })} error={amountError}>
          <input
            id="payment-amount"
            inputMode="decimal"
            value={draft.amount}
            onChange={(e) => {
              set('amount', e.target.value);
              setAmountRefusal(null);
            }}
            aria-invalid={amountError !== null}
            autoFocus
          />
        </FormField>
        <FormField id="payment-date" label={t('members.payments.date')} error={errorOf('paidOn')}>
          <input
            id="payment-date"
            type="date"
            value={draft.paidOn}
            onChange={(e) => {
              set('paidOn', e.target.value);
              if (e.target.value) fillPeriod(memberId, e.target.value, setDraft);
            }}
          />
        </FormField>
        <FormField id="payment-method" label={t('members.payments.method')}>
          <select id="payment-method" value={draft.method} onChange={(e) => set('method', e.target.value as PaymentMethod)}>
            {PAYMENT_METHODS.map((method) => (
              <option key={method} value={method}>
                {t(`members.methods.${method}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="payment-reference" label={t('members.payments.reference')} hint={t('members.payments.referenceHint')} error={errorOf('reference')}>
          <input id="payment-reference" value={draft.reference} onChange={(e) => set('reference', e.target.value)} />
        </FormField>
        <FormField id="payment-period-start" label={t('members.payments.periodStart')} error={errorOf('periodStart')}>
          <input id="payment-period-start" type="date" value={draft.periodStart} onChange={(e) => set('periodStart', e.target.value)} />
        </FormField>
        <FormField id="payment-period-end" label={t('members.payments.periodEnd')} error={errorOf('periodEnd')}>
          <input id="payment-period-end" type="date" value={draft.periodEnd} onChange={(e) => set('periodEnd', e.target.value)} />
        </FormField>
        <FormField id="payment-notes" label={t('members.fields.notes')} error={errorOf('notes')} wide>
          <input id="payment-notes" value={draft.notes} onChange={(e) => set('notes', e.target.value)} />
        </FormField>
      </div>
      <div className="actions">
        <button className="button" type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button className="button primary" type="submit" disabled={saving || (submitted && !valid)} data-testid="payment-save">
          {t('members.payments.save')}
        </button>
      </div>
    </form>
  );
}
