import { missingColumns, mapHeaders } from './columns';
import { readTable, type CsvRecord } from './csv-table';
import { detectFormat } from './detect-format';
import { GALETTE_TEMPLATE_FIELDS, GALETTE_TEMPLATE_MAPPING, headerFormatSpec } from './formats';
import { ImportError } from './import-error';
import type { RowLayout } from './read-row';
import { readRows } from './read-rows';
import {
  IMPORT_FIELDS,
  type ColumnMapping,
  type ColumnPreview,
  type ImportField,
  type ImportFormat,
  type ImportOptions,
  type ImportParseResult,
} from './types';

const PREVIEW_ROWS = 5;

/** Only the first record is a header; the generic format needs at least one way to name the member. */
const CSV_REQUIRED: ReadonlyArray<readonly ImportField[]> = [['lastName', 'firstName', 'fullName', 'organisationName']];

function chooseFormat(records: readonly CsvRecord[], { format = 'auto', mapping }: ImportOptions): ImportFormat {
  if (format === 'auto') return mapping ? 'csv' : detectFormat(records);
  if (format === 'csv' && !mapping) throw new ImportError('import_mapping_required');
  return format;
}

function checkedMapping(mapping: Record<string, number>, width: number): ColumnMapping {
  for (const [field, index] of Object.entries(mapping)) {
    const known = (IMPORT_FIELDS as readonly string[]).includes(field);
    if (!known || !Number.isInteger(index) || index < 0 || index >= width) {
      throw new ImportError('import_invalid_mapping', { field });
    }
  }
  return mapping;
}

/** Where the data starts and how to read it; throws when the file lacks a column the format needs. */
function layoutFor(
  format: ImportFormat,
  records: readonly CsvRecord[],
  options: ImportOptions,
): { data: readonly CsvRecord[]; layout: RowLayout } {
  if (format === 'galette-template') {
    const layout = { mapping: GALETTE_TEMPLATE_MAPPING, columnNames: GALETTE_TEMPLATE_FIELDS, viaHelloAsso: false };
    return { data: records, layout: { ...layout, width: GALETTE_TEMPLATE_FIELDS.length } };
  }
  const header = records[0]?.cells ?? [];
  const spec = headerFormatSpec(format);
  const mapping = spec ? mapHeaders(header, spec.columns) : checkedMapping(options.mapping ?? {}, header.length);
  const missing = spec
    ? missingColumns(mapping, spec.required, (field) => spec.columns[field]?.[0] ?? field)
    : missingColumns(mapping, CSV_REQUIRED, (field) => field);
  if (missing.length > 0) throw new ImportError('import_missing_columns', { columns: missing });
  const layout = { mapping, columnNames: header, width: header.length, viaHelloAsso: spec?.viaHelloAsso ?? false };
  return { data: records.slice(1), layout };
}

/**
 * Reads a members file exported from Paheko, Galette or HelloAsso, Galette's import template, or any CSV
 * with a column mapping. Throws ImportError when the file as a whole is unusable; problems confined to
 * a record are returned in `errors` and that record is left out of `rows`.
 */
export function parseImportFile(bytes: Uint8Array, options: ImportOptions = {}): ImportParseResult {
  const { encoding, separator, records } = readTable(bytes);
  const format = chooseFormat(records, options);
  const { data, layout } = layoutFor(format, records, options);
  if (data.length === 0) throw new ImportError('import_empty');
  return { format, encoding, separator, ...readRows(data, layout) };
}

function detectedFormat(records: readonly CsvRecord[]): ImportFormat | null {
  try {
    return detectFormat(records);
  } catch (error) {
    if (error instanceof ImportError) return null;
    throw error;
  }
}

/** The header row and first records, for choosing a mapping when the format is not recognised. */
export function previewColumns(bytes: Uint8Array): ColumnPreview {
  const { encoding, separator, records } = readTable(bytes);
  return {
    encoding,
    separator,
    header: records[0]?.cells ?? [],
    sample: records.slice(1, 1 + PREVIEW_ROWS).map((record) => record.cells),
    detectedFormat: detectedFormat(records),
  };
}
