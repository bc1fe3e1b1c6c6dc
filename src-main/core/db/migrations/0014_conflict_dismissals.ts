import type { Migration } from '../migrate';

/**
 * Likely duplicate members a volunteer said are two different people (core/sync/conflicts.ts). Synced: the answer is
 * the team's. The key is the kind and the two members' ids, sorted (`member_likely_duplicate:<id>:<id>`), so two
 * laptops dismissing the same pair write the same row, and a third member matching later is a new pair, still shown.
 */
export const conflictDismissals: Migration = {
  version: 14,
  name: 'conflict_dismissals',
  sql: `
    CREATE TABLE conflict_dismissals (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      -- JSON array of the ids, sorted.
      ids TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
