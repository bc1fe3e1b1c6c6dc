import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentMethod } from '../../../src-main/contract';
import { PAYMENT_METHODS } from '../../../src-main/contract/dues';
import { parseAmountCents } from '../../components/members/format';
import { useDuesStore } from '../../stores/dues-store';
import { useToastStore } from '../../stores/toast-store';

interface Props {
  memberIds: string[];
  today: string;
  onDone: () => void;
  onCancel: () => void;
}

/** One renewal for every selected member, in one transaction; a blank amount takes each member's category fee. */
export function RenewalForm({ memberIds, today, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const recordRenewal = useDuesStore((s) => s.recordRenewal);
  const push = useToastStore((s) => s.push);
  const [paidOn, setPaidOn] = useState(today);
  const [method, setMethod] = useState<PaymentMethod>('transfer');
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);

  const amountCents = amount.trim() === '' ? null : parseAmountCents(amount);
  const amountInvalid = amount.trim() !== '' && amountCents === null;
  const dateInvalid = !/^\d{4}-\d{2}-\d{2}$/.test(paidOn);

  async function submit() {
    setTouched(true);
    if (amountInvalid || dateInvalid) return;
    setSaving(true);
    const payments = await recordRenewal({ memberIds, amountCents, paidOn, method, reference });
    setSaving(false);
    if (!payments) return;
    push({ kind: 'success', title: t('dues.renewal.recorded', { count: payments.length }) });
    onDone();
  }

  return (
    <form
      className="inline-panel"
      data-testid="renewal-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      noValidate
    >
      <h3>{t('dues.renewal.title', { count: memberIds.length })}</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="renewal-date">{t('dues.renewal.paidOn')}</label>
          <input id="renewal-date" type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} aria-invalid={touched && dateInvalid} />
          {touched && dateInvalid ? <div className="field-error">{t('validation.required')}</div> : null}
        </div>
        <div className="field">
          <label htmlFor="renewal-method">{t('dues.renewal.method')}</label>
          <select id="renewal-method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`members.methods.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="renewal-reference">{t('dues.renewal.reference')}</label>
          <input id="renewal-reference" value={reference} onChange={(e) => setReference(e.target.value)} maxLength={120} />
          <div className="field-hint">{t('dues.renewal.referenceHint')}</div>
        </div>
        <div className="field">
          <label htmlFor="renewal-amount">{t('dues.renewal.amount')}</label>
          <input
            id="renewal-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder={t('dues.renewal.amountPlaceholder')}
            aria-invalid={touched && amountInvalid}
          />
          {touched && amountInvalid ? (
            <div className="field-error">{t('dues.amountInvalid')}</div>
          ) : (
            <div className="field-hint">{t('dues.renewal.amountHint')}</div>
          )}
        </div>
      </div>
      <div className="actions">
        <button className="button" type="button" onClick={onCancel} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button className="button primary" type="submit" disabled={saving} data-testid="renewal-submit">
          {t('dues.renewal.submit', { count: memberIds.length })}
        </button>
      </div>
    </form>
  );
}
