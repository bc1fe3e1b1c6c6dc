import { FileText, Plus, Undo2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberDetail, PaymentView, ReceiptLabelsInput } from '../../../src-main/contract';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { formatDate, formatMoney } from '../../components/members/format';
import { useMembersStore } from '../../stores/members-store';
import { useSettingsStore } from '../../stores/settings-store';
import { RecordPaymentForm } from './RecordPaymentForm';

/** Newest payments first, each reversal right under the payment it cancels. */
function ledgerOrder(payments: readonly PaymentView[]): PaymentView[] {
  const reversalOf = new Map(payments.filter((p) => p.reversesPaymentId).map((p) => [p.reversesPaymentId, p]));
  const originals = payments
    .filter((p) => !p.reversesPaymentId)
    .sort((a, b) => b.paidOn.localeCompare(a.paidOn) || b.createdAt.localeCompare(a.createdAt));
  const ordered = originals.flatMap((p) => {
    const reversal = reversalOf.get(p.id);
    return reversal ? [p, reversal] : [p];
  });
  return [...ordered, ...payments.filter((p) => p.reversesPaymentId && !ordered.includes(p))];
}

const RECEIPT_LABELS = [
  'title',
  'receiptNumber',
  'receivedFrom',
  'amount',
  'amountInWords',
  'paymentDate',
  'paymentMethod',
  'reference',
  'period',
  'periodRange',
  'issuedOn',
  'signature',
  'footer',
] as const;

export function PaymentsLedger({ detail }: { detail: MemberDetail }) {
  const { t, i18n } = useTranslation();
  const currency = useSettingsStore((s) => s.settings?.currency ?? 'EUR');
  const { loadDetail, reversePayment } = useMembersStore.getState();
  const [recording, setRecording] = useState(false);
  const [reversing, setReversing] = useState<PaymentView | null>(null);
  const memberId = detail.member.id;
  const date = (iso: string) => formatDate(iso, i18n.language);
  const money = (cents: number) => formatMoney(cents, currency, i18n.language);

  async function receipt(payment: PaymentView) {
    const labels = Object.fromEntries(RECEIPT_LABELS.map((key) => [key, t(`members.receipt.${key}`)])) as Omit<ReceiptLabelsInput, 'methodLabel'>;
    const result = await call('receipts.render', {
      paymentId: payment.id,
      labels: { ...labels, methodLabel: t(`members.methods.${payment.method}`) },
    });
    if (!result.ok) return toastError(result.error);
    await saveFile(result.value);
    // The first rendering gives the payment its receipt number.
    if (payment.receiptNumber === null) await loadDetail(memberId);
  }

  const canRecord = detail.member.erasedAt === null && detail.member.deletedAt === null;

  return (
    <section className="card" data-testid="payments">
      <div className="card-header">
        <h2>{t('members.payments.title')}</h2>
        {canRecord && !recording ? (
          <button className="button primary" type="button" onClick={() => setRecording(true)} data-testid="payment-new">
            <Plus size={16} />
            {t('members.payments.record')}
          </button>
        ) : null}
      </div>
      {recording ? <RecordPaymentForm detail={detail} onDone={() => setRecording(false)} /> : null}
      {detail.payments.length === 0 ? (
        <p className="muted">{t('members.payments.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger">
            <thead>
              <tr>
                <th>{t('members.payments.date')}</th>
                <th className="num">{t('members.payments.amount')}</th>
                <th>{t('members.payments.method')}</th>
                <th>{t('members.payments.reference')}</th>
                <th>{t('members.payments.period')}</th>
                <th>{t('members.payments.receipt')}</th>
                <th aria-label={t('members.payments.actions')} />
              </tr>
            </thead>
            <tbody>
              {ledgerOrder(detail.payments).map((payment) => {
                const reversal = payment.reversesPaymentId !== null;
                const reversed = payment.reversedBy !== null;
                return (
                  <tr
                    key={payment.id}
                    className={reversal ? 'reversal' : reversed ? 'reversed' : undefined}
                    data-testid={reversal ? 'ledger-reversal' : reversed ? 'ledger-reversed' : 'ledger-payment'}
                  >
                    <td className="nowrap">{date(payment.paidOn)}</td>
                    <td className="num nowrap">{money(payment.amountCents)}</td>
                    <td className="nowrap">{t(`members.methods.${payment.method}`)}</td>
                    <td>
                      {reversal ? (
                        <>
                          <span className="tag tag-warning">{t('members.payments.reversal')}</span>
                          <span className="reason">{payment.notes}</span>
                        </>
                      ) : (
                        <>
                          {reversed ? <span className="tag">{t('members.payments.reversed')}</span> : null}
                          {payment.reference}
                        </>
                      )}
                    </td>
                    <td className="nowrap">
                      {payment.periodStart && payment.periodEnd
                        ? t('members.payments.periodRange', { start: date(payment.periodStart), end: date(payment.periodEnd) })
                        : null}
                    </td>
                    <td className="nowrap">{payment.receiptNumber}</td>
                    <td className="ledger-actions">
                      {!reversal && !reversed ? (
                        <>
                          <button
                            className="button small icon-only"
                            type="button"
                            onClick={() => void receipt(payment)}
                            title={t('members.payments.receiptAction')}
                            aria-label={t('members.payments.receiptAction')}
                            data-testid="payment-receipt"
                          >
                            <FileText size={15} />
                          </button>
                          <button
                            className="button small icon-only"
                            type="button"
                            onClick={() => setReversing(payment)}
                            title={t('members.payments.reverseAction')}
                            aria-label={t('members.payments.reverseAction')}
                            data-testid="payment-reverse"
                          >
                            <Undo2 size={15} />
                          </button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {reversing ? (
        <ConfirmDialog
          title={t('members.payments.reverseTitle', { amount: money(reversing.amountCents), date: date(reversing.paidOn) })}
          confirmLabel={t('members.payments.reverseConfirm')}
          reasonLabel={t('members.payments.reverseReason')}
          danger
          onConfirm={async (reason) => {
            if (await reversePayment(memberId, reversing.id, reason)) setReversing(null);
          }}
          onCancel={() => setReversing(null)}
        >
          {t('members.payments.reverseText')}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
