import type { DuesStatus, FilePayload, MemberRow } from '../../../src-main/contract';
import { frenchCsv, frenchDate } from '../../../src-main/core/transfer/csv-writer';

export interface SelectionCsvLabels {
  headers: { number: string; name: string; email: string; status: string; paidUntil: string };
  status: (status: DuesStatus) => string;
}

/**
 * The members picked in a list, as the same French spreadsheet CSV as the core's exports (BOM, `;`, dd/mm/yyyy):
 * the core exports whole tables, a selection only lives here.
 */
export function selectionCsv(rows: readonly MemberRow[], labels: SelectionCsvLabels): string {
  const { headers } = labels;
  return frenchCsv(
    [headers.number, headers.name, headers.email, headers.status, headers.paidUntil],
    rows.map((row) => [row.number, row.displayName, row.email, labels.status(row.status), frenchDate(row.paidUntil)]),
  );
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // Chunked: spreading a large array into fromCharCode overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function csvFile(fileName: string, text: string): FilePayload {
  return { fileName, mimeType: 'text/csv;charset=utf-8', base64: utf8Base64(text) };
}
