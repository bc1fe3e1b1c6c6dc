import { z } from 'zod';
import { method } from './define';
import type { FilePayload } from './fields';
import { base64, text } from './fields';

export const IMPORT_FORMATS = ['auto', 'paheko', 'galette', 'galette-template', 'helloasso-members', 'helloasso-payments', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Our field names a generic CSV's columns can be mapped to (column index, 0-based). */
export const MAPPABLE_FIELDS = [
  'memberNumber', 'firstName', 'lastName', 'fullName', 'organisationName', 'email', 'phone', 'mobilePhone', 'address',
  'addressLine2', 'postcode', 'city', 'country', 'category', 'joinedOn', 'leftOn', 'notes', 'newsletterConsent',
  'newsletterConsentOn', 'amount', 'paymentDate', 'paymentMethod', 'paymentReference', 'orderReference',
  'payerFirstName', 'payerLastName', 'payerEmail',
] as const;

export const importRequestSchema = z
  .object({
    fileName: text(255),
    base64,
    format: z.enum(IMPORT_FORMATS).default('auto'),
    mapping: z.partialRecord(z.enum(MAPPABLE_FIELDS), z.number().int().min(0).max(500)).nullable().default(null),
  })
  .strict();

export interface ImportIssue {
  line: number;
  code: string;
  params: Record<string, string | number>;
}

export interface ImportPreviewRow {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  displayName: string;
  /** Fields that an update would change. */
  changes: string[];
  /** Payments this row would add. */
  newPayments: number;
  duplicateOf: string | null;
}

export interface ImportPreview {
  format: Exclude<ImportFormat, 'auto'>;
  encoding: string;
  separator: string;
  counts: { create: number; update: number; unchanged: number; error: number; payments: number };
  rows: ImportPreviewRow[];
  issues: ImportIssue[];
}

export interface ColumnsPreview {
  encoding: string;
  separator: string;
  header: string[];
  sample: string[][];
  detectedFormat: Exclude<ImportFormat, 'auto'> | null;
}

export const EXPORT_KINDS = ['members', 'payments', 'paheko'] as const;

export const transferMethods = {
  'imports.columns': method<ColumnsPreview>()(z.object({ fileName: text(255), base64 }).strict()),
  'imports.preview': method<ImportPreview>()(importRequestSchema),
  /** Writes the previewed changes in one transaction; running it again on the same file changes nothing. */
  'imports.commit': method<ImportPreview>()(importRequestSchema),
  'exports.csv': method<FilePayload>()(z.object({ kind: z.enum(EXPORT_KINDS) }).strict()),
};
