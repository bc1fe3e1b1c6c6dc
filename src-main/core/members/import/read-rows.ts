import type { CsvRecord } from './csv-table';
import { ImportError } from './import-error';
import { readRow, type RowLayout } from './read-row';
import type { ParsedRow, RowError } from './types';

/**
 * Reads every data record. A short last record means the file was cut off; a record of the wrong width
 * elsewhere is reported and skipped (trailing empty cells, as some tools add, are fine).
 */
export function readRows(records: readonly CsvRecord[], layout: RowLayout): { rows: ParsedRow[]; errors: RowError[] } {
  const rows: ParsedRow[] = [];
  const errors: RowError[] = [];
  records.forEach((record, index) => {
    const { line, cells } = record;
    const tooWide = cells.slice(layout.width).some((cell) => cell.trim() !== '');
    if (cells.length < layout.width && index === records.length - 1) throw new ImportError('import_truncated', { line });
    if (cells.length < layout.width || tooWide) {
      errors.push({ line, code: 'column_count', params: { expected: layout.width, actual: cells.length } });
      return;
    }
    const result = readRow(record, layout);
    if (Array.isArray(result)) errors.push(...result);
    else rows.push(result);
  });
  return { rows, errors };
}
