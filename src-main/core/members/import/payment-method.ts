import { normalizeLabel } from './normalize-label';
import type { PaymentMethod } from './types';

/**
 * Reads "Moyen de paiement" and the like. On HelloAsso, online payments (card, SEPA debit, or no method
 * at all) are 'helloasso': the money arrives through its payouts; offline ones it records keep their method.
 */
export function parsePaymentMethod(raw: string | null, viaHelloAsso: boolean): PaymentMethod {
  const online: PaymentMethod = viaHelloAsso ? 'helloasso' : 'other';
  const value = normalizeLabel(raw ?? '');
  if (value === '') return online;
  if (value.includes('helloasso')) return 'helloasso';
  if (/^(esp|liquide|cash|numeraire)/.test(value)) return 'cash';
  if (/^(cheque|chq)/.test(value)) return 'cheque';
  if (/^(virement|vir\b|transfer)/.test(value)) return 'transfer';
  if (/^(carte|cb\b|card|credit card)/.test(value)) return viaHelloAsso ? 'helloasso' : 'card';
  if (/^prelevement/.test(value)) return online;
  return 'other';
}
