import type { Migration } from '../migrate';

/**
 * Resource usage history: this laptop's own measurements, recomputed from sweeps and never synced, so they trade the
 * UUID convention for compactness (metrics/README in metrics/store.ts). A sample is one row per server and sweep whose
 * values are packed as float32 in one blob, indexed by the server's series list; each tier's rows are keyed by an
 * integer rowid `server_num * 2^34 + unix seconds`, so a range read is one rowid range.
 */
export const metrics: Migration = {
  version: 4,
  name: 'metrics',
  sql: `
    CREATE TABLE metric_servers (
      num INTEGER PRIMARY KEY,
      server_id TEXT NOT NULL UNIQUE REFERENCES servers (id)
    ) STRICT;

    -- The position of each series in a server's packed value blobs; append only, so old blobs stay readable.
    CREATE TABLE metric_series (
      server_num INTEGER NOT NULL REFERENCES metric_servers (num),
      idx INTEGER NOT NULL,
      metric TEXT NOT NULL,
      subject TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (server_num, idx),
      UNIQUE (server_num, metric, subject)
    ) STRICT, WITHOUT ROWID;

    -- Every sweep: float32 per series (NaN: not measured that sweep).
    CREATE TABLE metric_raw (key INTEGER PRIMARY KEY, vals BLOB NOT NULL) STRICT;
    -- 5-minute and 1-hour rollups: float32 min, max, mean and count per series, updated as samples arrive.
    CREATE TABLE metric_5m (key INTEGER PRIMARY KEY, vals BLOB NOT NULL) STRICT;
    CREATE TABLE metric_1h (key INTEGER PRIMARY KEY, vals BLOB NOT NULL) STRICT;
  `,
};
