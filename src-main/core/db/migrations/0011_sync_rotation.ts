import type { Migration } from '../migrate';

/**
 * Removing a device rotates the team key (core/sync/rotate-key.ts). The new key is kept here, where the old one is
 * (its source; sealed by the keychain or in a 0600 file, never in clear), from before team.json names it until the
 * rotation is done, so that a crash in the middle never leaves the folder sealed with a key nobody holds.
 */
export const syncRotation: Migration = {
  version: 11,
  name: 'sync_rotation',
  sql: `
    -- A rotation under way: {"node": the device removed, "keySource": where the new key is kept, "at", "by"}.
    ALTER TABLE sync_team ADD COLUMN rotation TEXT CHECK (rotation IS NULL OR json_valid(rotation));
    ALTER TABLE sync_team ADD COLUMN rotation_key_sealed BLOB;
    -- When this laptop's key last changed (a rotation here, or the new key entered): the date on the new sheet.
    ALTER TABLE sync_team ADD COLUMN key_changed_at TEXT;
  `,
};
