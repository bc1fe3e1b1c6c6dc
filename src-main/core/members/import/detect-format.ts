import type { CsvRecord } from './csv-table';
import { parseDate } from './date';
import { GALETTE_TEMPLATE_FIELDS, HEADER_FORMATS } from './formats';
import { ImportError } from './import-error';
import { normalizeLabel } from './normalize-label';
import type { ImportFormat } from './types';

/**
 * Galette's import file has no header: recognise it by its exact width, and make sure its first line is data
 * (an address in the e-mail column, a date in the creation-date column), not the header of some other file.
 */
function isGaletteTemplate(records: readonly CsvRecord[]): boolean {
  const width = GALETTE_TEMPLATE_FIELDS.length;
  const first = records[0]?.cells ?? [];
  const email = first[GALETTE_TEMPLATE_FIELDS.indexOf('email_adh')]?.trim() ?? '';
  const created = first[GALETTE_TEMPLATE_FIELDS.indexOf('date_crea_adh')]?.trim() ?? '';
  return (
    records.every((record) => record.cells.length === width) &&
    (email === '' || email.includes('@')) &&
    (created === '' || parseDate(created) !== null)
  );
}

export function detectFormat(records: readonly CsvRecord[]): ImportFormat {
  const header = new Set(records[0]?.cells.map(normalizeLabel));
  const spec = HEADER_FORMATS.find(({ signatures }) =>
    signatures.some((signature) => signature.every((label) => header.has(normalizeLabel(label)))),
  );
  if (spec) return spec.format;
  if (isGaletteTemplate(records)) return 'galette-template';
  throw new ImportError('import_unknown_format', { headers: records[0]?.cells ?? [] });
}
