import type { Migration } from '../migrate';

/**
 * Notification channels (core/alerts/): e-mail, ntfy, Matrix, webhook. Kept on this computer, not synced: the device
 * that sends alerts (a watcher, or a laptop) is set up with its own channels, and their secrets never leave it.
 * `settings` is JSON without secrets; the secret (SMTP password, token, a webhook's URL) is kept like other secrets
 * (core/secrets/kept-secret.ts): `secret_source` says where (sealed by the OS keychain into `secret_sealed`, or a 0600
 * file in the data directory), never in clear here. `last_ok_at`, `last_error` (JSON) and `failing_since` record
 * deliveries, so a failing channel shows as such.
 */
export const channels: Migration = {
  version: 15,
  name: 'channels',
  sql: `
    CREATE TABLE channels (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('email', 'ntfy', 'matrix', 'webhook')),
      settings TEXT NOT NULL,
      secret_source TEXT NOT NULL DEFAULT '{"kind":"none"}',
      secret_sealed BLOB,
      last_ok_at TEXT,
      last_error TEXT,
      failing_since TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX channels_name ON channels (lower(name)) WHERE deleted_at IS NULL;
  `,
};
