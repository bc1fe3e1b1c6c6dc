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
  /** Values for local NOT NULL columns without a default, when a row arrives from another laptop. */
  localDefaults?: Readonly<Record<string, () => string | number>>;
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
  // "Not the same person", said once for the team (migration 14): keyed by the kind and the sorted ids on every laptop.
  { table: 'conflict_dismissals', key: 'id', columns: ['kind', 'ids', 'created_at'], local: [] },

  // ---- Servers (migration 8). The machine, its services, its rules, its pinned host key and maintenance windows are
  // the team's; how this laptop logs in is its own: each volunteer has their own key. A server from another laptop
  // arrives as 'key' with no key path here, and asks for this laptop's key before first use (server_key_missing_here).
  // The login name is the team's (one admin account, each volunteer's key in its authorized_keys).
  {
    table: 'servers',
    key: 'id',
    columns: [
      'name', 'host', 'port', 'username', 'tags', 'notes', 'sweep_interval_seconds', 'host_key_fingerprint', 'host_key_accepted_at',
      'maintenance_until', 'created_at', 'updated_at', 'deleted_at',
    ],
    local: ['auth_kind', 'key_path', 'passphrase_source', 'passphrase_sealed'],
    localDefaults: { auth_kind: () => 'key' },
  },
  {
    table: 'services',
    key: 'id',
    columns: ['server_id', 'name', 'kind', 'url', 'expect_text', 'unit', 'process', 'port', 'created_at', 'updated_at', 'deleted_at'],
    local: [],
  },
  // Keyed `<server id>:<rule id>` on every laptop, so two laptops setting the same rule edit one row, field by field.
  {
    table: 'rule_settings',
    key: 'id',
    columns: ['server_id', 'rule_id', 'enabled', 'threshold', 'fail_after', 'clear_after', 'created_at', 'updated_at'],
    local: [],
  },
  // Incidents and their timelines (acknowledgements, notes) are the team's (migration 9): whoever acknowledges, the
  // others see someone is on it. Twins opened by two laptops offline are shown as one (health/incident-twins.ts).
  {
    table: 'incidents',
    key: 'id',
    columns: [
      'server_id', 'service_id', 'rule_id', 'subject', 'status', 'cause', 'first_failure_at', 'opened_at', 'alerted_at', 'acknowledged_at',
      'acknowledged_by', 'resolved_at', 'created_at', 'updated_at',
    ],
    local: [],
  },
  { table: 'incident_events', key: 'id', columns: ['incident_id', 'at', 'kind', 'actor', 'text', 'created_at'], local: [] },
  // Never synced: sweeps and check_states (each laptop's own view of the servers), metric_* (its own measurements).

  // ---- Backups (migration 8). A repository's description is the team's; its password is each laptop's own: one
  // arriving from another laptop has none here and asks for it (backups.repositories.providePassword, from the
  // recovery sheet) — unless a volunteer who has it shares it with the team (migration 13): `shared_password` is then
  // sealed under the team key (sync/team-secrets.ts), and a laptop without its own copy seals it locally on arrival
  // (`password_received_at`). Its path is the team's too: a repository is usable on the laptops where that path exists
  // (the USB disk plugged in, the share mounted at the same place).
  {
    table: 'backup_repositories',
    key: 'id',
    columns: ['name', 'path', 'restic_id', 'recovery_confirmed_at', 'shared_password', 'created_at', 'updated_at', 'deleted_at'],
    local: ['password_source', 'password_sealed', 'password_received_at'],
    localDefaults: { password_source: () => '{"kind":"none"}' },
  },
  { table: 'backup_jobs', key: 'id', columns: ['server_id', 'repository_id', 'name', 'spec', 'created_at', 'updated_at', 'deleted_at'], local: [] },
  // A run is shared once it has finished: its live progress stays on the laptop running it, and no other laptop ever
  // holds a 'running' run it cannot end. Its summary, log and the after commands it owes (and whether they ran) are
  // the team's, so everyone sees "last run", "last verified restorable" and a server left in maintenance mode; which
  // process runs it (owner_pid) and the spacing of automatic retries (after_attempts, after_tried_at) are the running
  // laptop's (device_id), and only that laptop retries them by itself.
  {
    table: 'backup_runs',
    key: 'id',
    columns: [
      'kind', 'job_id', 'repository_id', 'server_id', 'trigger', 'status', 'stage', 'started_at', 'finished_at', 'bytes_total', 'bytes_read',
      'data_added', 'files', 'target', 'source_snapshots', 'verification', 'written', 'health', 'error', 'log', 'after_state', 'after_commands',
      'device_id', 'created_at', 'updated_at',
    ],
    local: ['owner_pid', 'after_attempts', 'after_tried_at'],
    localDefaults: { owner_pid: () => 0 },
    when: `NEW.status <> 'running'`,
  },
  // The snapshots a run made (restic's ids, sizes, sha256) and their manifests: any laptop of the team can then
  // verify a restore or a drill of them.
  {
    table: 'backup_snapshots',
    key: 'id',
    columns: ['run_id', 'repository_id', 'job_id', 'kind', 'dump_name', 'path', 'bytes', 'sha256', 'created_at'],
    local: [],
  },
  { table: 'backup_manifests', key: 'snapshot_id', columns: ['roots', 'entry_count', 'entries', 'created_at'], local: [] },
];

const BY_NAME = new Map(SYNCED_TABLES.map((t) => [t.table, t]));

export const syncedTable = (dataset: string): SyncedTable | undefined => BY_NAME.get(dataset);
