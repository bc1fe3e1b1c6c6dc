// What the team shares, table by table. Each synced column travels as messages (dataset = table, row = key value,
// column, value); a column listed under `local` stays on this laptop. A test checks that every column of a synced
// table is one or the other, so a migration that adds a column has to decide.
import { ASSOCIATION_KEYS } from '../../settings/settings-service';
import { newId } from '../../ids';
import { RECEIPT_BOOK_KEY } from '../receipt-book';

export interface SyncedTable {
  table: string;
  /** The column naming a row on every laptop: the UUID, or (settings) the setting's key. */
  key: string;
  columns: readonly string[];
  /** Never synced: this laptop's own values. */
  local: readonly string[];
  /** Values for local NOT NULL columns when a row arrives from another laptop. */
  localDefaults?: Readonly<Record<string, () => string>>;
  /** Only rows matching this condition on NEW sync (SQL). */
  when?: string;
}

// The UI language is each volunteer's own; so is how long this laptop keeps its usage history.
const SHARED_SETTINGS = [...ASSOCIATION_KEYS.filter((key) => key !== 'language'), RECEIPT_BOOK_KEY];

export const SYNCED_TABLES: readonly SyncedTable[] = [
  {
    table: 'settings',
    key: 'key',
    columns: ['value', 'created_at', 'updated_at', 'deleted_at'],
    local: ['id'],
    localDefaults: { id: newId },
    when: `NEW.key IN (${SHARED_SETTINGS.map((k) => `'${k}'`).join(', ')})`,
  },
  {
    table: 'categories',
    key: 'id',
    columns: ['name', 'fee_kind', 'fee_cents', 'period_kind', 'period_months', 'grace_days', 'created_at', 'updated_at', 'deleted_at'],
    local: [],
  },
  {
    table: 'members',
    key: 'id',
    columns: [
      'number', 'first_name', 'last_name', 'organisation_name', 'email', 'phone', 'address', 'postcode', 'city', 'country',
      'category_id', 'joined_on', 'left_on', 'notes', 'newsletter_consent', 'newsletter_consent_on', 'search_text',
      'sort_name', 'erased_at', 'created_at', 'updated_at', 'deleted_at',
    ],
    local: [],
  },
  {
    table: 'payments',
    key: 'id',
    columns: [
      'member_id', 'amount_cents', 'paid_on', 'method', 'reference', 'period_start', 'period_end', 'notes', 'payer_name',
      'reverses_payment_id', 'import_ref', 'created_at',
    ],
    local: [],
  },
  { table: 'receipts', key: 'id', columns: ['payment_id', 'year', 'seq', 'number', 'issued_on', 'created_at'], local: [] },
  { table: 'audit_log', key: 'id', columns: ['at', 'actor', 'device_id', 'entity', 'entity_id', 'action', 'changes'], local: [] },
];

const BY_NAME = new Map(SYNCED_TABLES.map((t) => [t.table, t]));

export const syncedTable = (dataset: string): SyncedTable | undefined => BY_NAME.get(dataset);
