// Receipt numbers run per year without gaps and never change once given. Offline computers cannot agree on "the next
// number", so in a team one computer holds the receipt book — the treasurer's, the one that made the team, until
// the book is handed over — and only it numbers new receipts. Any computer prints a receipt already numbered.
// Taking the book elsewhere is for when the holder is lost or replaced: were both to number receipts offline, the
// same number would be given twice, and would show under Conflicts.
import type { ReceiptBook } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { teamRow } from './engine/team-clock';

/** The settings key (synced with the association's settings). */
export const RECEIPT_BOOK_KEY = 'receiptBook';

const holderOf = (db: Db): string | null => {
  const value = db.prepare('select value from settings where key = ? and deleted_at is null').pluck().get(RECEIPT_BOOK_KEY) as string | undefined;
  return value === undefined ? null : ((JSON.parse(value) as { node?: string }).node ?? null);
};

export function receiptBook(core: Core): ReceiptBook | null {
  const team = teamRow(core.db);
  if (!team) return null;
  const node = holderOf(core.db);
  const name =
    node === null || node === team.node
      ? null
      : ((core.db.prepare('select volunteer_name from sync_peers where node = ?').pluck().get(node) as string | undefined) ?? null);
  return { holder: node, here: node === team.node, holderName: name };
}

/** Called inside the transaction that would number a receipt: only the book's holder may, in a team. */
export function requireReceiptBook(core: Core): void {
  const book = receiptBook(core);
  if (book === null || book.here) return;
  throw new CoreError('receipt_book_elsewhere', 'New receipts are numbered on the computer holding the receipt book.', { holder: book.holderName ?? '' });
}

/** This computer takes the book (at team creation, or handed over on purpose); audited, synced. */
export function takeReceiptBook(core: Core): ReceiptBook {
  const team = teamRow(core.db);
  if (!team) throw new CoreError('sync_not_in_team', 'This laptop is not in a team yet.');
  writeTransaction(core.db, () => {
    const before = holderOf(core.db);
    const now = isoNow(core.clock);
    core.db
      .prepare(
        `insert into settings (id, key, value, created_at, updated_at) values (?, ?, ?, ?, ?)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, deleted_at = null`,
      )
      .run(newId(), RECEIPT_BOOK_KEY, JSON.stringify({ node: team.node }), now, now);
    core.audit.record({ entity: 'settings', entityId: RECEIPT_BOOK_KEY, action: 'update', changes: { receiptBook: { from: before, to: team.node } } });
  });
  return receiptBook(core) as ReceiptBook;
}
