import type { Migration } from '../migrate';

/**
 * A repository's password shared with the team, when the volunteer who has it chooses: `shared_password` is synced and
 * holds it sealed under a key derived from the team key (core/sync/team-secrets.ts), never in clear. A laptop without
 * its own copy seals it locally on arrival (password_source, password_sealed) and records when in
 * `password_received_at`, its own; stopping the sharing clears the synced column only.
 */
export const sharedRepositoryPassword: Migration = {
  version: 13,
  name: 'shared_repository_password',
  sql: `
    ALTER TABLE backup_repositories ADD COLUMN shared_password BLOB;
    ALTER TABLE backup_repositories ADD COLUMN password_received_at TEXT;
  `,
};
