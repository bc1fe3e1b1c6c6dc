import type { Migration } from '../migrate';

/**
 * Team sync. Rows written on another laptop arrive as per-column messages and must always apply, so no synced table
 * may refuse a row on a unique business key: two laptops offline can both give number 42, both import the same
 * HelloAsso payment, both reverse one payment. Those uniques become plain indexes (the services still check them for
 * local input) and the duplicates are listed as conflicts for a person to resolve. payments and receipts declared
 * theirs inline, so they are rebuilt (SQLite cannot drop an inline UNIQUE).
 */
export const sync: Migration = {
  version: 7,
  name: 'sync',
  rebuildsTables: true,
  sql: `
    -- This laptop's membership of a team: absent until it creates or joins one.
    CREATE TABLE sync_team (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      team_id TEXT NOT NULL,
      -- This laptop's node in the hybrid logical clock: 16 hex digits, also its folder in the team folder.
      node TEXT NOT NULL CHECK (length(node) = 16),
      -- A local path or ssh://user@host[:port]/path.
      folder TEXT NOT NULL,
      -- Where the team key is kept ({"kind":"file","path":…} or {"kind":"stored"}); never the key in clear.
      key_source TEXT NOT NULL CHECK (json_valid(key_source)),
      key_sealed BLOB,
      next_seq INTEGER NOT NULL DEFAULT 1,
      -- The clock's last timestamp and the Merkle trie of every message this laptop holds.
      clock TEXT NOT NULL DEFAULT '',
      merkle TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(merkle)),
      joined_at TEXT NOT NULL,
      -- The team key sheet is shown until the volunteer confirms it is printed or saved.
      sheet_confirmed_at TEXT,
      last_sync_at TEXT,
      last_error TEXT CHECK (last_error IS NULL OR json_valid(last_error))
    ) STRICT;

    -- Per synced cell, the timestamp of the write it holds: the last writer wins, column by column.
    CREATE TABLE sync_cells (
      dataset TEXT NOT NULL,
      row TEXT NOT NULL,
      col TEXT NOT NULL,
      timestamp TEXT NOT NULL,
      PRIMARY KEY (dataset, row, col)
    ) STRICT, WITHOUT ROWID;

    -- Changes made here and not yet written to the team folder, in the same transaction as the change.
    CREATE TABLE sync_outbox (
      timestamp TEXT PRIMARY KEY,
      dataset TEXT NOT NULL,
      row TEXT NOT NULL,
      col TEXT NOT NULL,
      value TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    -- Remote writes that cannot land yet: a row whose parent has not arrived, or a table or column this version does
    -- not know (a newer Pelote wrote it). Kept, never dropped; applied once they can be.
    CREATE TABLE sync_pending (
      timestamp TEXT PRIMARY KEY,
      dataset TEXT NOT NULL,
      row TEXT NOT NULL,
      col TEXT NOT NULL,
      value TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sync_pending_by_row ON sync_pending (dataset, row);

    -- The other devices: how far this laptop has read their segments, and what their last head said.
    CREATE TABLE sync_peers (
      node TEXT PRIMARY KEY,
      last_seq INTEGER NOT NULL DEFAULT 0,
      volunteer_name TEXT NOT NULL DEFAULT '',
      app_version TEXT NOT NULL DEFAULT '',
      last_seen_at TEXT,
      problem TEXT CHECK (problem IS NULL OR json_valid(problem))
    ) STRICT;

    DROP INDEX members_number;
    CREATE INDEX members_number ON members (number);
    DROP INDEX categories_live_name;
    CREATE INDEX categories_live_name ON categories (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE payments_rebuilt (
      id TEXT PRIMARY KEY,
      member_id TEXT NOT NULL REFERENCES members (id),
      amount_cents INTEGER NOT NULL,
      paid_on TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('cash', 'cheque', 'transfer', 'card', 'helloasso', 'other')),
      reference TEXT NOT NULL DEFAULT '',
      period_start TEXT,
      period_end TEXT,
      notes TEXT NOT NULL DEFAULT '',
      payer_name TEXT NOT NULL DEFAULT '',
      reverses_payment_id TEXT REFERENCES payments (id),
      import_ref TEXT,
      created_at TEXT NOT NULL,
      CHECK ((reverses_payment_id IS NULL) = (period_start IS NOT NULL AND period_end IS NOT NULL)),
      CHECK (reverses_payment_id IS NOT NULL OR amount_cents >= 0)
    ) STRICT;
    INSERT INTO payments_rebuilt SELECT id, member_id, amount_cents, paid_on, method, reference, period_start, period_end,
      notes, payer_name, reverses_payment_id, import_ref, created_at FROM payments;
    DROP TABLE payments;
    ALTER TABLE payments_rebuilt RENAME TO payments;
    CREATE INDEX payments_by_member ON payments (member_id, period_end);
    CREATE INDEX payments_by_date ON payments (paid_on);
    CREATE INDEX payments_reverses ON payments (reverses_payment_id) WHERE reverses_payment_id IS NOT NULL;
    CREATE INDEX payments_import_ref ON payments (import_ref) WHERE import_ref IS NOT NULL;
    CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
      BEGIN SELECT RAISE(ABORT, 'payments are append-only: record a reversal'); END;
    CREATE TRIGGER payments_no_edit BEFORE UPDATE ON payments
      WHEN NEW.id IS NOT OLD.id OR NEW.member_id IS NOT OLD.member_id OR NEW.amount_cents IS NOT OLD.amount_cents
        OR NEW.paid_on IS NOT OLD.paid_on OR NEW.method IS NOT OLD.method OR NEW.reference IS NOT OLD.reference
        OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end
        OR NEW.reverses_payment_id IS NOT OLD.reverses_payment_id OR NEW.import_ref IS NOT OLD.import_ref
        OR NEW.created_at IS NOT OLD.created_at
        OR (NEW.payer_name IS NOT OLD.payer_name AND NEW.payer_name <> '')
        OR (NEW.notes IS NOT OLD.notes AND NEW.notes <> '')
      BEGIN SELECT RAISE(ABORT, 'payments are append-only: record a reversal'); END;

    -- A payment recorded for an erased member (a reversal booked later, or one made on a laptop that had not heard of
    -- the erasure) keeps no payer name or notes either: the same on every laptop, whichever wrote it.
    CREATE TRIGGER payments_of_erased_members AFTER INSERT ON payments
      WHEN (SELECT erased_at FROM members WHERE id = NEW.member_id) IS NOT NULL AND (NEW.payer_name <> '' OR NEW.notes <> '')
      BEGIN UPDATE payments SET payer_name = '', notes = '' WHERE id = NEW.id; END;

    CREATE TABLE receipts_rebuilt (
      id TEXT PRIMARY KEY,
      payment_id TEXT NOT NULL REFERENCES payments (id),
      year INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 1),
      number TEXT NOT NULL,
      issued_on TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO receipts_rebuilt SELECT id, payment_id, year, seq, number, issued_on, created_at FROM receipts;
    DROP TABLE receipts;
    ALTER TABLE receipts_rebuilt RENAME TO receipts;
    CREATE INDEX receipts_by_payment ON receipts (payment_id);
    CREATE INDEX receipts_by_number ON receipts (year, seq);
    CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
      BEGIN SELECT RAISE(ABORT, 'receipt numbers are never reused'); END;
    CREATE TRIGGER receipts_no_edit BEFORE UPDATE ON receipts
      BEGIN SELECT RAISE(ABORT, 'receipt numbers are never reused'); END;
  `,
};
