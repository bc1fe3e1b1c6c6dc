import type { Migration } from '../migrate';

/**
 * Members, membership categories, the payments ledger and receipts.
 * Payments are append-only: a trigger refuses any change to what was paid, and deletes outright; a correction is a
 * reversal entry. Only the payer's name and notes may be blanked, by a GDPR erasure.
 */
export const membersDues: Migration = {
  version: 2,
  name: 'members_dues',
  sql: `
    CREATE TABLE categories (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      fee_kind TEXT NOT NULL CHECK (fee_kind IN ('fixed', 'exempt', 'pay_what_you_want')),
      -- The fixed amount, or the minimum of a pay-what-you-want fee; null when exempt.
      fee_cents INTEGER CHECK (fee_cents IS NULL OR fee_cents >= 0),
      -- Null: the association's rule from settings.
      period_kind TEXT CHECK (period_kind IN ('calendar_year', 'fiscal_year', 'rolling_months')),
      period_months INTEGER CHECK (period_months IS NULL OR period_months BETWEEN 1 AND 120),
      grace_days INTEGER CHECK (grace_days IS NULL OR grace_days >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX categories_live_name ON categories (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE members (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL,
      first_name TEXT NOT NULL DEFAULT '',
      last_name TEXT NOT NULL DEFAULT '',
      organisation_name TEXT NOT NULL DEFAULT '',
      email TEXT NOT NULL DEFAULT '',
      phone TEXT NOT NULL DEFAULT '',
      address TEXT NOT NULL DEFAULT '',
      postcode TEXT NOT NULL DEFAULT '',
      city TEXT NOT NULL DEFAULT '',
      country TEXT NOT NULL DEFAULT '',
      category_id TEXT REFERENCES categories (id),
      joined_on TEXT,
      left_on TEXT,
      notes TEXT NOT NULL DEFAULT '',
      newsletter_consent INTEGER NOT NULL DEFAULT 0 CHECK (newsletter_consent IN (0, 1)),
      newsletter_consent_on TEXT,
      -- Lower-case, accent-free name, email, number and city: what search-as-you-type matches against.
      search_text TEXT NOT NULL DEFAULT '',
      -- Lower-case, accent-free "last first" or organisation: the name sort key.
      sort_name TEXT NOT NULL DEFAULT '',
      erased_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX members_number ON members (number);
    CREATE INDEX members_email ON members (email COLLATE NOCASE) WHERE email <> '';
    CREATE INDEX members_category ON members (category_id);
    CREATE INDEX members_sort_name ON members (sort_name);

    CREATE TABLE payments (
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
      -- A reversal points at the payment it cancels; a payment is reversed at most once.
      reverses_payment_id TEXT UNIQUE REFERENCES payments (id),
      -- HelloAsso order/payment reference (or another source's id): re-importing matches on it.
      import_ref TEXT UNIQUE,
      created_at TEXT NOT NULL,
      CHECK ((reverses_payment_id IS NULL) = (period_start IS NOT NULL AND period_end IS NOT NULL)),
      CHECK (reverses_payment_id IS NOT NULL OR amount_cents >= 0)
    ) STRICT;
    CREATE INDEX payments_by_member ON payments (member_id, period_end);
    CREATE INDEX payments_by_date ON payments (paid_on);

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

    -- GDPR erasure must be able to forget what the audit trail recorded about a member: an entry's values may be
    -- replaced by a redaction marker (keeping which fields changed); nothing else in the log can change.
    DROP TRIGGER audit_log_no_update;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.device_id IS NOT OLD.device_id
        OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id OR NEW.action IS NOT OLD.action
        OR json_extract(NEW.changes, '$.redacted') IS NOT 1
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    -- Receipt numbers run per year without gaps: a number, once given, belongs to its payment forever.
    CREATE TABLE receipts (
      id TEXT PRIMARY KEY,
      payment_id TEXT NOT NULL UNIQUE REFERENCES payments (id),
      year INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 1),
      number TEXT NOT NULL UNIQUE,
      issued_on TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (year, seq)
    ) STRICT;
    CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
      BEGIN SELECT RAISE(ABORT, 'receipt numbers are never reused'); END;
    CREATE TRIGGER receipts_no_edit BEFORE UPDATE ON receipts
      BEGIN SELECT RAISE(ABORT, 'receipt numbers are never reused'); END;
  `,
};
