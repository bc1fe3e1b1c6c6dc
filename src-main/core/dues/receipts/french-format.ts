// French display formats for receipts, hand-rolled rather than Intl so the output does not depend on the
// ICU data bundled with Node/Electron, and so it only uses characters the PDF standard fonts can encode.

/** No-break space. French typography wants U+202F (narrow) here, but WinAnsi has no glyph for it. */
export const NBSP = '\u00a0';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 1250 → "12,50 €", 125000 → "1 250,00 €" (no-break spaces). */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new RangeError(`amount must be a non-negative integer number of cents, got ${cents}`);
  }
  const euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, NBSP);
  const centimes = String(cents % 100).padStart(2, '0');
  return `${euros},${centimes}${NBSP}€`;
}

/** Midnight UTC of a calendar date "yyyy-mm-dd"; throws on anything else, including 2026-02-30. */
export function parseIsoDate(iso: string): Date {
  const match = ISO_DATE.exec(iso);
  if (match) {
    const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return date;
    }
  }
  throw new RangeError(`not a calendar date (yyyy-mm-dd): ${JSON.stringify(iso)}`);
}

/** "2026-03-12" → "12/03/2026". */
export function formatFrenchDate(iso: string): string {
  parseIsoDate(iso);
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}
