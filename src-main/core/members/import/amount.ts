// French exports write "1 234,50 €" (the space may be U+00A0 or U+202F; JS \s covers both) or "1.234,50";
// English-style tools write "1234.50". Dot-grouped thousands need their decimal comma: "1.234" alone could be
// either reading, like "1,234". Digits are read as strings, never through floats.
const FRENCH = /^(\d{1,3}(?: \d{3})+|\d{1,3}(?:\.\d{3})+(?=,)|\d+)(?:,(\d{1,2}))?$/;
const DOT_DECIMAL = /^(\d+)\.(\d{1,2})$/;
const CURRENCY = /^(?:€|eur)\s*|\s*(?:€|eur)$/gi;
const MAX_DIGITS = 13; // keeps cents well inside Number.MAX_SAFE_INTEGER

/** Integer cents, or null when `raw` is not an unambiguous amount. "Gratuit" is 0. */
export function parseAmountCents(raw: string): number | null {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (/^gratuit$/i.test(text)) return 0;
  const unsigned = text.replace(/^-\s*/, '');
  const sign = unsigned === text ? 1 : -1;
  const number = unsigned.replace(CURRENCY, '');
  const match = FRENCH.exec(number) ?? DOT_DECIMAL.exec(number);
  if (!match) return null;
  const units = (match[1] as string).replace(/[ .]/g, '');
  if (units.length > MAX_DIGITS) return null;
  const cents = Number(units) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return sign * cents || 0; // never -0
}
