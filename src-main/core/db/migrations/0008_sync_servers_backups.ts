import type { Migration } from '../migrate';

/**
 * The team shares its servers and backups (core/sync/engine/synced-tables.ts says which columns). As in migration 7,
 * a row from another laptop must always apply, so the names only one live row could hold become plain indexes (the
 * services still check them for local input) and duplicates are listed as conflicts: two laptops offline can both add
 * a server "garage", a repository "usb" or a job "nextcloud" on one server.
 *
 * Rule overrides are keyed `<server id>:<rule id>` instead of a random UUID, so two laptops setting the same rule of
 * the same server write one row, merged field by field; the inline UNIQUE (server_id, rule_id) then never refuses a
 * remote row and stays.
 *
 * A backup run records the laptop that ran it: only that laptop can find it interrupted, and only it retries the after
 * commands it owes by itself. Sealed secrets of a server or repository deleted on another laptop are dropped here too.
 * Local paths (SSH key files, passphrase and password files) leave the audit trail, which the team shares.
 */
export const syncServersBackups: Migration = {
  version: 8,
  name: 'sync_servers_backups',
  sql: `
    DROP INDEX servers_live_name;
    CREATE INDEX servers_live_name ON servers (name COLLATE NOCASE) WHERE deleted_at IS NULL;
    DROP INDEX backup_repositories_live_name;
    CREATE INDEX backup_repositories_live_name ON backup_repositories (name COLLATE NOCASE) WHERE deleted_at IS NULL;
    CREATE INDEX backup_repositories_by_restic_id ON backup_repositories (restic_id) WHERE deleted_at IS NULL;
    DROP INDEX backup_jobs_live_name;
    CREATE INDEX backup_jobs_live_name ON backup_jobs (server_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;

    UPDATE rule_settings SET id = server_id || ':' || rule_id;

    -- The device (device.id) whose Pelote ran it; every run so far was this laptop's.
    ALTER TABLE backup_runs ADD COLUMN device_id TEXT;
    UPDATE backup_runs SET device_id = (SELECT id FROM device LIMIT 1);

    CREATE TRIGGER servers_deleted_forget_passphrase AFTER UPDATE OF deleted_at ON servers
      WHEN NEW.deleted_at IS NOT NULL AND NEW.passphrase_sealed IS NOT NULL
      BEGIN UPDATE servers SET passphrase_sealed = NULL WHERE id = NEW.id; END;
    CREATE TRIGGER backup_repositories_deleted_forget_password AFTER UPDATE OF deleted_at ON backup_repositories
      WHEN NEW.deleted_at IS NOT NULL AND NEW.password_sealed IS NOT NULL
      BEGIN UPDATE backup_repositories SET password_sealed = NULL WHERE id = NEW.id; END;

    -- The audit trail stays append-only; this one rewrite removes this laptop's own paths from entries written before
    -- they were kept out of it, before the trail is shared.
    DROP TRIGGER audit_log_no_update;
    UPDATE audit_log SET changes = json_remove(changes, '$.auth.from.keyPath', '$.auth.from.passphrase', '$.auth.to.keyPath', '$.auth.to.passphrase')
      WHERE entity = 'server' AND json_extract(changes, '$.redacted') IS NOT 1 AND json_type(changes, '$.auth') = 'object';
    UPDATE audit_log SET changes = json_remove(changes, '$.passwordSource.from.path', '$.passwordSource.to.path')
      WHERE entity = 'backup_repository' AND json_extract(changes, '$.redacted') IS NOT 1 AND json_type(changes, '$.passwordSource') = 'object';
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.device_id IS NOT OLD.device_id
        OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id OR NEW.action IS NOT OLD.action
        OR json_extract(NEW.changes, '$.redacted') IS NOT 1
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
};
