import type { Migration } from '../migrate';

/**
 * The timestamp of every synced cell, one row per synced row instead of one per cell (a register of 100,000 members
 * and 500,000 payments held 8 million index entries of ~100 bytes). `cells` is JSON {column: timestamp}, where a
 * timestamp sharing the row's `base` millisecond and node keeps only its 4-hex counter, as cells captured together
 * nearly all do (core/sync/engine/cell-stamps.ts reads and writes it). Existing rows take their oldest cell's
 * timestamp as base. The capture trigger that writes the old table is dropped; the next start installs its new form.
 * The space the old table leaves free is given back by the VACUUM after a large sync (team-sync.ts).
 */
export const syncCellsCompact: Migration = {
  version: 10,
  name: 'sync_cells_compact',
  sql: `
    DROP TRIGGER IF EXISTS sync_outbox_cells;
    CREATE TABLE sync_cells_compact (
      dataset TEXT NOT NULL,
      row TEXT NOT NULL,
      base TEXT NOT NULL,
      cells TEXT NOT NULL,
      PRIMARY KEY (dataset, row)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO sync_cells_compact (dataset, row, base, cells)
      SELECT c.dataset, c.row, b.base, json_group_object(c.col,
          CASE WHEN substr(c.timestamp, 1, 25) = substr(b.base, 1, 25) AND substr(c.timestamp, 30) = substr(b.base, 30)
            THEN substr(c.timestamp, 26, 4) ELSE c.timestamp END)
        FROM sync_cells c JOIN (SELECT dataset, row, min(timestamp) AS base FROM sync_cells GROUP BY dataset, row) b
          ON b.dataset = c.dataset AND b.row = c.row
        GROUP BY c.dataset, c.row;
    DROP TABLE sync_cells;
    ALTER TABLE sync_cells_compact RENAME TO sync_cells;
  `,
};
