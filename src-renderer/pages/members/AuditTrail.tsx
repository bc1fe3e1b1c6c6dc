import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-main/contract';
import { formatDate, formatDateTime, formatMoney } from '../../components/members/format';
import { useMembersStore } from '../../stores/members-store';
import { useSettingsStore } from '../../stores/settings-store';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How the core summarises a payment in the member's trail (a recorded payment, or one reversed). */
interface PaymentSummary {
  amount: number;
  paidOn: string;
  method: string;
}
const isPaymentSummary = (value: unknown): value is PaymentSummary =>
  typeof value === 'object' && value !== null && 'amount' in value && 'paidOn' in value && 'method' in value;

/** No value: a change from it shows only the new value, a change to it only the old one, struck through. */
const isBlank = (value: unknown): boolean => value === null || value === undefined || value === '';

/** The translation key of an entry's title: a payment shown on the member reads as what happened to the dues. */
function actionKey(entry: AuditEntry): string {
  const payment = entry.changes.payment;
  if (entry.entity === 'member' && payment) return payment.to === null ? 'member.paymentReversed' : 'member.paymentRecorded';
  return `${entry.entity}.${entry.action}`;
}
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;

/** Who changed what and when, newest first; values shown as the rest of the screen shows them. */
export function AuditTrail({ entries, erased }: { entries: AuditEntry[]; erased: boolean }) {
  const { t, i18n } = useTranslation();
  const currency = useSettingsStore((s) => s.settings?.currency ?? 'EUR');
  const categories = useMembersStore((s) => s.categories);
  const language = i18n.language;

  const fieldLabel = (field: string) => t(`members.fields.${field}`, { defaultValue: field });
  const value = (field: string, raw: unknown): string => {
    if (isBlank(raw)) return t('members.detail.none');
    if (typeof raw === 'boolean') return t(raw ? 'members.detail.yes' : 'members.detail.no');
    if (typeof raw === 'number' && field.endsWith('Cents')) return formatMoney(raw, currency, language);
    if (typeof raw === 'string' && ISO_DATE.test(raw)) return formatDate(raw, language);
    if (typeof raw === 'string' && ISO_TIMESTAMP.test(raw)) return formatDateTime(raw, language);
    if (isPaymentSummary(raw)) {
      return t('members.audit.paymentSummary', {
        amount: formatMoney(raw.amount, currency, language),
        date: formatDate(raw.paidOn, language),
        method: t(`members.methods.${raw.method}`, { defaultValue: raw.method }),
      });
    }
    if (field === 'categoryId' && typeof raw === 'string') return categories.find((c) => c.id === raw)?.name ?? raw;
    if (field === 'method' && typeof raw === 'string') return t(`members.methods.${raw}`, { defaultValue: raw });
    return typeof raw === 'string' ? raw : JSON.stringify(raw);
  };
  const sorted = [...entries].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <section className="card" data-testid="audit-trail">
      <h2 className="card-title">{t('members.audit.title')}</h2>
      {sorted.length === 0 ? <p className="muted">{t('members.audit.none')}</p> : null}
      <ol className="audit-list">
        {sorted.map((entry) => {
          // A creation lists the values it set; blanks say nothing.
          const changes = Object.entries(entry.changes).filter(
            ([, { from, to }]) => from !== to && !(entry.action === 'create' && (to === '' || to === null || to === false)),
          );
          return (
            <li key={entry.id} className="audit-entry">
              <div className="audit-head">
                <span className="audit-action">
                  {t(`members.audit.actions.${actionKey(entry)}`, {
                    defaultValue: t(`members.audit.actions.any.${entry.action}`),
                  })}
                </span>
                <span className="muted">
                  {t('members.audit.byAt', { actor: entry.actor || t('members.audit.unknownActor'), at: formatDateTime(entry.at, language) })}
                </span>
              </div>
              {changes.length > 0 ? (
                entry.action === 'erase' || erased ? (
                  // Once a member is erased their old values are not shown again, only which fields changed.
                  <div className="audit-fields muted">{changes.map(([field]) => fieldLabel(field)).join(', ')}</div>
                ) : (
                  <table className="audit-changes">
                    <tbody>
                      {changes.map(([field, change]) => (
                        <tr key={field}>
                          <th>{fieldLabel(field)}</th>
                          <td>
                            {isBlank(change.from) ? null : <span className="audit-from">{value(field, change.from)}</span>}
                            {isBlank(change.from) || isBlank(change.to) ? null : (
                              <span className="audit-arrow" aria-hidden>
                                {t('members.audit.arrow')}
                              </span>
                            )}
                            {isBlank(change.to) && !isBlank(change.from) ? null : <span>{value(field, change.to)}</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
