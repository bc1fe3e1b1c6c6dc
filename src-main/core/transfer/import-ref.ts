import { createHash } from 'node:crypto';
import type { ImportFormat, ParsedRow } from '../members/import';
import { normalizeText } from '../members/normalize';

/**
 * The key that makes re-importing a payment a no-op. HelloAsso's membership export knows only the order, its payment
 * export also the payment: both are keyed on the order and the member, so importing one after the other does not
 * count a membership twice (an order may hold several people's memberships). Other sources use their reference,
 * or a digest of who paid what and when.
 */
export function paymentImportRef(format: ImportFormat, row: ParsedRow): string | null {
  const payment = row.payment;
  if (!payment) return null;
  const { member } = row;
  const who = normalizeText([member.organisationName, member.lastName, member.firstName].filter(Boolean).join(' '));
  if (format.startsWith('helloasso') && payment.orderReference) return `helloasso:order:${payment.orderReference}:${who}`;
  if (payment.reference) return `${format}:${payment.reference}`;
  const key = [member.memberNumber ?? member.email ?? who, payment.date, payment.amountCents, payment.method].join('|');
  return `${format}:sha256:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
