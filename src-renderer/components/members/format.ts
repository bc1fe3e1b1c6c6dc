/** Display formats in the UI language (Intl), and the one parser for amounts typed by hand. */
import { dateTimeFormat, numberFormat } from '../../i18n/intl-cache';

/** "2026-03-12" → "12 mars 2026" / "12 Mar 2026": a calendar date, so read and shown in UTC to never shift a day. */
export function formatDate(iso: string, language: string): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** An ISO timestamp in the user's local time. */
export function formatDateTime(iso: string, language: string): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

const moneyFormat = (currency: string, language: string): Intl.NumberFormat => numberFormat(language, { style: 'currency', currency });

export function formatMoney(cents: number, currency: string, language: string): string {
  return moneyFormat(currency, language).format(cents / 100);
}

/** "€", "CHF", "$"…: what the user sees next to an amount in this language. */
export function currencySymbol(currency: string, language: string): string {
  return moneyFormat(currency, language).formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency;
}

/** The largest amount the contract accepts, in cents. */
const MAX_CENTS = 100_000_000_00;
const AMOUNT = /^(\d+)(?:[.,](\d{1,2}))?$/;

/**
 * "12,50", "12.5", "1 234,56 €" → integer cents, from the digits (never through a float, so 0,29 is 29);
 * null when it is not an amount.
 */
export function parseAmountCents(text: string): number | null {
  const match = AMOUNT.exec(text.replace(/[\s\u00a0\u202f€]/g, ''));
  if (!match) return null;
  const [, units = '', fraction = ''] = match;
  if (units.length > String(MAX_CENTS).length) return null;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return cents <= MAX_CENTS ? cents : null;
}

/** Today's calendar date on this computer, yyyy-mm-dd. */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Cents as a user would type them in this language: 1250 → "12,50" (fr) or "12.50" (en). */
export function amountInput(cents: number, language: string): string {
  const separator = numberFormat(language).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  return `${Math.floor(cents / 100)}${separator}${String(cents % 100).padStart(2, '0')}`;
}
