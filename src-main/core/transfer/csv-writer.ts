const BOM = '\uFEFF';

/** A cell a spreadsheet would run as a formula (a member named "=HYPERLINK(…)") is kept as text; numbers stay numbers. */
const defuse = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(,\d+)?$/.test(cell) ? `'${cell}` : cell);

/**
 * Quoted when it holds the separator, a quote or a line break, and also `,` or a tab: a spreadsheet set to split on
 * those would otherwise cut "Dupont,=HYPERLINK(…)" into a second cell that starts a formula.
 */
const quote = (raw: string): string => {
  const cell = defuse(raw);
  return /[;,\t"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
};

/**
 * The CSV that Excel and LibreOffice open cleanly in France: UTF-8 with a BOM (else Excel guesses Windows-1252),
 * `;` separators (`,` is the decimal mark), CRLF line ends.
 */
export function frenchCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(quote).join(';')).join('\r\n') + '\r\n';
}

/** dd/mm/yyyy, as French spreadsheets expect. */
export const frenchDate = (iso: string | null): string => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/** 1250 → "12,50": a decimal comma, no currency sign, so spreadsheets read it as a number. */
export const frenchAmount = (cents: number): string => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
};
