import type { HeaderFormatSpec } from './formats';
import { normalizeLabel } from './normalize-label';
import type { ColumnMapping, ImportField } from './types';

/** Finds each field's column: the first alias present wins, then the leftmost column with it. */
export function mapHeaders(header: readonly string[], columns: HeaderFormatSpec['columns']): ColumnMapping {
  const positions = new Map<string, number>();
  header.forEach((cell, index) => {
    const label = normalizeLabel(cell);
    if (!positions.has(label)) positions.set(label, index);
  });
  const mapping: ColumnMapping = {};
  for (const [field, aliases] of Object.entries(columns) as Array<[ImportField, readonly string[]]>) {
    const index = aliases.map((alias) => positions.get(normalizeLabel(alias))).find((i) => i !== undefined);
    if (index !== undefined) mapping[field] = index;
  }
  return mapping;
}

/**
 * Names of the columns a mapping lacks, via `label` (the header to add, or the field name). An amount
 * without its date cannot become a payment, so it needs one.
 */
export function missingColumns(
  mapping: ColumnMapping,
  required: ReadonlyArray<readonly ImportField[]>,
  label: (field: ImportField) => string,
): string[] {
  const needs = mapping.amount === undefined ? required : [...required, ['paymentDate'] as const];
  return needs
    .filter((fields) => fields.every((field) => mapping[field] === undefined))
    .map((fields) => label(fields[0] as ImportField));
}
