import type { PaymentMethod } from '../../../contract/dues';
import type { ImportFormat as RequestedFormat } from '../../../contract/transfer';
import type { IsoDate } from '../../dues/status/isoDate';

export type { PaymentMethod };

/** A concrete file layout; 'csv' is any other CSV, read through a caller-supplied column mapping. */
export type ImportFormat = Exclude<RequestedFormat, 'auto'>;

/** Formats recognised from their header row. */
export type HeaderFormat = Exclude<ImportFormat, 'galette-template' | 'csv'>;

/** How the bytes were read: never asked, always detected. */
export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

export type Separator = ';' | ',' | '\t';

/**
 * Every column the import understands. The first block is the member record; the rest feed the payment or
 * help build the member (a single "name & first name" column, a second address line, the HelloAsso payer).
 * The generic 'csv' format maps these names to column indexes (the contract's MAPPABLE_FIELDS are a subset).
 */
export const IMPORT_FIELDS = [
  'memberNumber',
  'firstName',
  'lastName',
  'organisationName',
  'email',
  'phone',
  'address',
  'postcode',
  'city',
  'country',
  'category',
  'joinedOn',
  'leftOn',
  'notes',
  'newsletterConsent',
  'newsletterConsentOn',
  'fullName',
  'mobilePhone',
  'addressLine2',
  'amount',
  'paymentDate',
  'paymentMethod',
  'paymentReference',
  'orderReference',
  'paymentStatus',
  'campaignType',
  'payerFirstName',
  'payerLastName',
  'payerEmail',
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index (0-based) for each field found in the file. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export interface ParsedMember {
  memberNumber: string | null;
  firstName: string | null;
  /** Paheko's single "Nom & prénom" field lands here whole: its word order is the association's choice. */
  lastName: string | null;
  organisationName: string | null;
  /** Trimmed and lowercased. */
  email: string | null;
  phone: string | null;
  /** Lines joined with '\n'. */
  address: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
  /** Membership category name exactly as written in the file. */
  category: string | null;
  joinedOn: IsoDate | null;
  leftOn: IsoDate | null;
  notes: string | null;
  newsletterConsent: boolean | null;
  newsletterConsentOn: IsoDate | null;
}

export interface ParsedPayment {
  /** Integer cents; 0 for "Gratuit". */
  amountCents: number;
  date: IsoDate;
  method: PaymentMethod;
  /** HelloAsso payment (else order) reference, cheque number… */
  reference: string | null;
  /** HelloAsso order reference: the one key its membership and payment exports share. */
  orderReference: string | null;
  /** Set only when someone else paid for the member (a parent, an employer). */
  payerName: string | null;
}

export interface ParsedRow {
  /** 1-based line of the record's first line in the file. */
  line: number;
  member: ParsedMember;
  payment: ParsedPayment | null;
}

/** Whole-file failures, thrown as ImportError. */
export type ImportErrorCode =
  | 'import_empty'
  | 'import_binary'
  | 'import_unknown_format'
  | 'import_missing_columns'
  | 'import_truncated'
  | 'import_mapping_required'
  | 'import_invalid_mapping';

/** Per-record failures: a record with any of them is left out of `rows`. */
export type RowErrorCode =
  | 'invalid_date'
  | 'invalid_amount'
  | 'invalid_email'
  | 'invalid_boolean'
  | 'missing_name'
  | 'missing_date'
  | 'column_count'
  | 'payment_not_completed'
  | 'not_membership';

export type ErrorParams = Record<string, string | number | readonly string[]>;

export interface RowError {
  line: number;
  code: RowErrorCode;
  /** Usually { column, value }: the header as written in the file and the offending cell. */
  params: Record<string, string | number>;
}

export interface ImportParseResult {
  format: ImportFormat;
  encoding: DetectedEncoding;
  separator: Separator;
  rows: ParsedRow[];
  errors: RowError[];
}

export interface ImportOptions {
  format?: RequestedFormat;
  /** Required for 'csv' (and implies it under 'auto'): field name → 0-based column index. */
  mapping?: Record<string, number>;
}

/** What the column-mapping step shows: the header row and the first records, as read. */
export interface ColumnPreview {
  encoding: DetectedEncoding;
  separator: Separator;
  header: string[];
  sample: string[][];
  /** Null when the file needs a mapping. */
  detectedFormat: ImportFormat | null;
}
