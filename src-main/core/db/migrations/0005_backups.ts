import type { Migration } from '../migrate';

/**
 * Backups with restic: repositories (on local paths), jobs per server, runs (backups, restores, drills) with their
 * snapshots and the sha256 manifest of every file a backup read. Passwords never appear here in clear: a sealed blob
 * (OS keychain) or the path of a 0600 file.
 */
export const backups: Migration = {
  version: 5,
  name: 'backups',
  sql: `
    -- This laptop's backup engine settings (the restic binary's path).
    CREATE TABLE backup_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE backup_repositories (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      path TEXT NOT NULL,
      restic_id TEXT NOT NULL,
      -- {"kind":"stored"} or {"kind":"file","path":…}: where the password is, never the password.
      password_source TEXT NOT NULL CHECK (json_valid(password_source)),
      -- Electron only: the password sealed by the OS keychain (safeStorage).
      password_sealed BLOB,
      recovery_confirmed_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX backup_repositories_live_name ON backup_repositories (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE backup_jobs (
      id TEXT PRIMARY KEY,
      server_id TEXT NOT NULL REFERENCES servers (id),
      repository_id TEXT NOT NULL REFERENCES backup_repositories (id),
      name TEXT NOT NULL,
      -- The job's settings as validated by the contract (paths, excludes, dumps, commands, schedule, retention, drill).
      spec TEXT NOT NULL CHECK (json_valid(spec)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX backup_jobs_live_name ON backup_jobs (server_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE backup_runs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('backup', 'restore', 'drill')),
      job_id TEXT REFERENCES backup_jobs (id),
      repository_id TEXT NOT NULL REFERENCES backup_repositories (id),
      -- The backed-up server, or the target of a restore or drill.
      server_id TEXT NOT NULL REFERENCES servers (id),
      trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'cli')),
      status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
      stage TEXT NOT NULL,
      -- The process running it: a run whose process is gone was interrupted.
      owner_pid INTEGER NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      bytes_total INTEGER,
      bytes_read INTEGER NOT NULL DEFAULT 0,
      data_added INTEGER,
      files INTEGER NOT NULL DEFAULT 0,
      target TEXT CHECK (target IS NULL OR json_valid(target)),
      -- Restore: the snapshots it read, as restic ids.
      source_snapshots TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(source_snapshots)),
      verification TEXT CHECK (verification IS NULL OR json_valid(verification)),
      written TEXT CHECK (written IS NULL OR json_valid(written)),
      health TEXT CHECK (health IS NULL OR json_valid(health)),
      error TEXT CHECK (error IS NULL OR json_valid(error)),
      log TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(log)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX backup_runs_by_job ON backup_runs (job_id, kind, started_at);
    CREATE INDEX backup_runs_by_status ON backup_runs (status);

    -- The snapshots this laptop's backups made, joining restic's ids to runs and sizes.
    CREATE TABLE backup_snapshots (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES backup_runs (id),
      repository_id TEXT NOT NULL REFERENCES backup_repositories (id),
      job_id TEXT NOT NULL REFERENCES backup_jobs (id),
      kind TEXT NOT NULL CHECK (kind IN ('files', 'dump')),
      dump_name TEXT,
      -- restic's path of the single file, e.g. /<job id>/files.tar
      path TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX backup_snapshots_by_run ON backup_snapshots (run_id);

    -- Every entry of a files snapshot's tar stream with the sha256 of each regular file: gzip'd JSON, one per snapshot.
    CREATE TABLE backup_manifests (
      snapshot_id TEXT PRIMARY KEY REFERENCES backup_snapshots (id),
      roots TEXT NOT NULL CHECK (json_valid(roots)),
      entry_count INTEGER NOT NULL,
      entries BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
