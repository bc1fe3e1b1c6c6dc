import type { Migration } from '../migrate';

/** Servers and their services, pinned host keys, health rules, the last sweep, check states and incidents. */
export const serversHealth: Migration = {
  version: 3,
  name: 'servers_health',
  sql: `
    CREATE TABLE servers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      host TEXT NOT NULL,
      port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      username TEXT NOT NULL,
      auth_kind TEXT NOT NULL CHECK (auth_kind IN ('agent', 'key')),
      key_path TEXT,
      -- {"kind":"none"|"stored"|"env"|"file",…}: where the passphrase comes from, never the passphrase.
      passphrase_source TEXT NOT NULL DEFAULT '{"kind":"none"}' CHECK (json_valid(passphrase_source)),
      -- Electron only: the passphrase sealed by the OS keychain (safeStorage); unreadable without it.
      passphrase_sealed BLOB,
      tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
      notes TEXT NOT NULL DEFAULT '',
      sweep_interval_seconds INTEGER NOT NULL DEFAULT 30 CHECK (sweep_interval_seconds BETWEEN 10 AND 3600),
      host_key_fingerprint TEXT,
      host_key_accepted_at TEXT,
      maintenance_until TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX servers_live_name ON servers (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE services (
      id TEXT PRIMARY KEY,
      server_id TEXT NOT NULL REFERENCES servers (id),
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('nextcloud', 'etherpad', 'website', 'forum', 'mail', 'other')),
      url TEXT NOT NULL DEFAULT '',
      expect_text TEXT NOT NULL DEFAULT '',
      unit TEXT,
      process TEXT,
      port INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE INDEX services_by_server ON services (server_id);

    -- Per-server overrides of the default rules; a missing row means the default.
    CREATE TABLE rule_settings (
      id TEXT PRIMARY KEY,
      server_id TEXT NOT NULL REFERENCES servers (id),
      rule_id TEXT NOT NULL,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      threshold REAL,
      fail_after INTEGER NOT NULL CHECK (fail_after >= 1),
      clear_after INTEGER NOT NULL CHECK (clear_after >= 1),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (server_id, rule_id)
    ) STRICT;

    -- This laptop's view of the latest sweep per server: local state, recomputed, never synced.
    CREATE TABLE sweeps (
      server_id TEXT PRIMARY KEY REFERENCES servers (id),
      at TEXT NOT NULL,
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      error_code TEXT,
      error_details TEXT CHECK (error_details IS NULL OR json_valid(error_details)),
      -- The raw probe sample, kept for the next sweep's deltas (CPU %, rates).
      sample TEXT CHECK (sample IS NULL OR json_valid(sample)),
      sample_at_ms INTEGER,
      summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
    ) STRICT;

    -- One row per rule and subject (a service id, a mount point, or '' for the server itself).
    CREATE TABLE check_states (
      server_id TEXT NOT NULL REFERENCES servers (id),
      rule_id TEXT NOT NULL,
      subject TEXT NOT NULL DEFAULT '',
      service_id TEXT REFERENCES services (id),
      state TEXT NOT NULL CHECK (state IN ('ok', 'failing', 'unknown')),
      value TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(value)),
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      consecutive_passes INTEGER NOT NULL DEFAULT 0,
      since TEXT NOT NULL,
      error_code TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (server_id, rule_id, subject)
    ) STRICT;

    CREATE TABLE incidents (
      id TEXT PRIMARY KEY,
      server_id TEXT NOT NULL REFERENCES servers (id),
      service_id TEXT REFERENCES services (id),
      rule_id TEXT NOT NULL,
      subject TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
      cause TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(cause)),
      first_failure_at TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      alerted_at TEXT,
      acknowledged_at TEXT,
      acknowledged_by TEXT,
      resolved_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    -- At most one unresolved incident per rule and subject.
    CREATE UNIQUE INDEX incidents_one_open ON incidents (server_id, rule_id, subject) WHERE status <> 'resolved';
    CREATE INDEX incidents_by_time ON incidents (opened_at);

    CREATE TABLE incident_events (
      id TEXT PRIMARY KEY,
      incident_id TEXT NOT NULL REFERENCES incidents (id),
      at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('first_failure', 'opened', 'alerted', 'acknowledged', 'note', 'resolved')),
      actor TEXT,
      text TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX incident_events_by_incident ON incident_events (incident_id, at);
  `,
};
