import type { ColumnsPreview } from '../../../src-main/contract';
import { MAPPABLE_FIELDS } from '../../../src-main/contract/transfer';
import { normalizeLabel } from '../../../src-main/core/members/import/normalize-label';

export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type ColumnMapping = Partial<Record<MappableField, number>>;

/** The columns that feed the payment; the others describe the member. */
const PAYMENT_FIELDS: ReadonlySet<MappableField> = new Set([
  'amount', 'paymentDate', 'paymentMethod', 'paymentReference', 'orderReference', 'payerFirstName', 'payerLastName', 'payerEmail',
]);

/** The mapping form's two groups, in the contract's order. */
export const FIELD_GROUPS = {
  member: MAPPABLE_FIELDS.filter((field) => !PAYMENT_FIELDS.has(field)),
  payment: MAPPABLE_FIELDS.filter((field) => PAYMENT_FIELDS.has(field)),
} as const;

/** A generic CSV needs one of these mapped: the core refuses it otherwise (import_missing_columns). */
const NAME_FIELDS: readonly MappableField[] = ['lastName', 'firstName', 'fullName', 'organisationName'];

export const hasNameColumn = (mapping: ColumnMapping): boolean => NAME_FIELDS.some((field) => mapping[field] !== undefined);

/**
 * A first guess: a column whose header reads like a field's label (in the UI language, or our field name) is
 * mapped to it. The user checks and corrects it.
 */
export function guessMapping(columns: Pick<ColumnsPreview, 'header'>, label: (field: MappableField) => string): ColumnMapping {
  const headers = columns.header.map(normalizeLabel);
  const mapping: ColumnMapping = {};
  for (const field of MAPPABLE_FIELDS) {
    const names = new Set([normalizeLabel(label(field)), normalizeLabel(field)]);
    const index = headers.findIndex((header) => names.has(header));
    if (index >= 0 && !Object.values(mapping).includes(index)) mapping[field] = index;
  }
  return mapping;
}

/** A, B, … Z, AA: how spreadsheets name columns, so the user can find them in their file. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
