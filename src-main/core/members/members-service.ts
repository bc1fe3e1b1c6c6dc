import type { AuditChanges, DuplicateMatch, FilePayload, Member, MemberInput } from '../../contract';
import { diffFields } from '../audit/audit-log';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { displayName } from './display-name';
import { memberPayments } from './member-payments';
import type { MemberDbRow } from './member-record';
import { ERASED, INSERT_MEMBER, MEMBER_FIELDS, UPDATE_MEMBER, inputOf, memberParams, sortNameOf, toMember } from './member-record';
import { writeTransaction } from '../db/write-transaction';

/** The fields a GDPR erasure blanks; the number stays (it is the register's key), and so do the category and dates. */

/** What tells two members apart for duplicate detection: changing anything else never asks again. */
const IDENTITY_FIELDS = ['firstName', 'lastName', 'organisationName', 'email', 'postcode'] as const;

const postcodeKey = (postcode: string) => postcode.replace(/\s+/g, '').toUpperCase();

/**
 * The member register. Every write is one transaction with its audit entry (entity 'member'), then
 * `members.changed` so lists refresh. Emails compare without case (SQLite's NOCASE: ASCII letters).
 */
export class MembersService {
  constructor(private readonly core: Core) {}

  /** Refused with `possible_duplicate` (details.matches) unless allowDuplicate: the user has seen the matches. */
  create(input: MemberInput, opts: { allowDuplicate: boolean }): Member {
    const member = writeTransaction(this.core.db, () => {
      this.checkNumberFree(input.number, null);
      this.checkCategory(input.categoryId, null);
      if (!opts.allowDuplicate) this.refuseDuplicates(input, null);
      const id = newId();
      const now = isoNow(this.core.clock);
      this.core.db.prepare(INSERT_MEMBER).run({ id, ...memberParams(input), created_at: now, updated_at: now });
      const changes: AuditChanges = Object.fromEntries(MEMBER_FIELDS.map((field) => [field, { from: null, to: input[field] }]));
      this.core.audit.record({ entity: 'member', entityId: id, action: 'create', changes });
      return this.get(id);
    });
    this.changed(member.id);
    return member;
  }

  /** Records only the fields that changed; asks about duplicates only when the identity changed. */
  update(id: string, input: MemberInput, opts: { allowDuplicate: boolean }): Member {
    const { member, wrote } = writeTransaction(this.core.db, () => {
      const before = this.editable(id);
      const changes = diffFields(inputOf(before), inputOf(input));
      if (Object.keys(changes).length === 0) return { member: before, wrote: false };
      if ('number' in changes) this.checkNumberFree(input.number, id);
      this.checkCategory(input.categoryId, before.categoryId);
      if (!opts.allowDuplicate && IDENTITY_FIELDS.some((field) => field in changes)) this.refuseDuplicates(input, id);
      this.core.db.prepare(UPDATE_MEMBER).run({ id, ...memberParams(input), updated_at: isoNow(this.core.clock) });
      this.core.audit.record({ entity: 'member', entityId: id, action: 'update', changes });
      return { member: this.get(id), wrote: true };
    });
    if (wrote) this.changed(id);
    return member;
  }

  get(id: string): Member {
    const row = this.core.db.prepare('select * from members where id = ?').get(id) as MemberDbRow | undefined;
    if (!row) throw new CoreError('member_not_found', `No member ${id}.`, { id });
    return toMember(row);
  }

  /** Deleted members included: a number, once given, stays taken. */
  findByNumber(number: string): Member | null {
    const row = this.core.db.prepare('select * from members where number = ?').get(number) as MemberDbRow | undefined;
    return row ? toMember(row) : null;
  }

  /** Case-insensitive; a live member wins over a deleted one. */
  findByEmail(email: string): Member | null {
    if (email === '') return null;
    const row = this.core.db
      .prepare(
        `select * from members where email <> '' and email = ? collate nocase
         order by deleted_at is not null, created_at limit 1`,
      )
      .get(email) as MemberDbRow | undefined;
    return row ? toMember(row) : null;
  }

  /**
   * Live members with the same email (case-insensitive), or the same name — "last first" or the organisation,
   * accent- and case-insensitive, i.e. the same sort_name — and the same known postcode.
   */
  findDuplicates(input: MemberInput, excludeId: string | null): DuplicateMatch[] {
    const byEmail =
      input.email === ''
        ? []
        : (this.core.db
            .prepare(`select * from members where email <> '' and email = ? collate nocase and deleted_at is null and id is not ?`)
            .all(input.email, excludeId) as MemberDbRow[]);
    const sortName = sortNameOf(input);
    const postcode = postcodeKey(input.postcode);
    const byName =
      sortName === '' || postcode === ''
        ? []
        : (this.core.db
            .prepare('select * from members where sort_name = ? and deleted_at is null and id is not ?')
            .all(sortName, excludeId) as MemberDbRow[]).filter((row) => postcodeKey(row.postcode) === postcode);
    const matches = new Map<string, DuplicateMatch>();
    const add = (rows: MemberDbRow[], reason: DuplicateMatch['reason']) => {
      for (const row of rows) {
        if (matches.has(row.id)) continue;
        const member = toMember(row);
        matches.set(row.id, { id: member.id, number: member.number, displayName: displayName(member), reason });
      }
    };
    add(byEmail, 'email');
    add(byName, 'name_postcode');
    return [...matches.values()];
  }

  /** Soft delete: the member leaves the lists but keeps their number, payments and history. */
  delete(id: string): Member {
    return this.setDeleted(id, true);
  }

  restore(id: string): Member {
    return this.setDeleted(id, false);
  }

  /** A suggestion for a new member: the highest numeric number plus one ("1" for the first); others are ignored. */
  nextNumber(): string {
    const highest = this.core.db
      .prepare(
        `select ltrim(number, '0') as n from members where number not glob '*[^0-9]*'
         order by length(ltrim(number, '0')) desc, ltrim(number, '0') desc limit 1`,
      )
      .pluck()
      .get() as string | undefined;
    // BigInt: a 40-digit number is still a valid member number.
    return (BigInt(highest || '0') + 1n).toString();
  }

  /**
   * GDPR erasure: the identity is blanked for good; the number, category, membership dates and the payments'
   * amounts and dates stay for the books, while the payments' payer names and notes are blanked too. The member's
   * earlier audit entries forget their values (which fields changed, and when, remain); the erase entry names the
   * erased fields without their values (from: null on purpose).
   */
  erase(id: string): Member {
    const member = writeTransaction(this.core.db, () => {
      const before = this.editable(id);
      const now = isoNow(this.core.clock);
      const after: MemberInput = { ...inputOf(before), ...ERASED };
      this.core.db.prepare(UPDATE_MEMBER).run({ id, ...memberParams(after), updated_at: now });
      this.core.db.prepare('update members set erased_at = ? where id = ?').run(now, id);
      this.core.db
        .prepare(`update payments set payer_name = '', notes = '' where member_id = ? and (payer_name <> '' or notes <> '')`)
        .run(id);
      const erased = Object.keys(diffFields(inputOf(before), after));
      const changes: AuditChanges = Object.fromEntries(erased.map((field) => [field, { from: null, to: after[field as keyof MemberInput] }]));
      this.core.audit.redact({ entity: 'member', entityId: id });
      this.core.audit.record({ entity: 'member', entityId: id, action: 'erase', changes: { ...changes, erasedAt: { from: null, to: now } } });
      return this.get(id);
    });
    this.changed(id);
    return member;
  }

  /** GDPR access: everything Pelote holds about the member, as readable JSON. */
  exportPersonalData(id: string): FilePayload {
    const member = this.get(id);
    const payments = memberPayments(this.core, id);
    const data = {
      exportedAt: isoNow(this.core.clock),
      member,
      payments,
      receipts: payments.flatMap((p) => (p.receiptNumber === null ? [] : [p.receiptNumber])),
      audit: this.core.audit.list({ entity: 'member', entityId: id }),
      paymentsAudit: payments.flatMap((p) => this.core.audit.list({ entity: 'payment', entityId: p.id })),
    };
    return {
      fileName: `member-${member.number.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.json`,
      mimeType: 'application/json',
      base64: Buffer.from(`${JSON.stringify(data, null, 2)}\n`, 'utf8').toString('base64'),
    };
  }

  private setDeleted(id: string, deleted: boolean): Member {
    const member = writeTransaction(this.core.db, () => {
      const before = this.get(id);
      if ((before.deletedAt !== null) === deleted) return null;
      const now = isoNow(this.core.clock);
      const deletedAt = deleted ? now : null;
      this.core.db.prepare('update members set deleted_at = ?, updated_at = ? where id = ?').run(deletedAt, now, id);
      this.core.audit.record({
        entity: 'member',
        entityId: id,
        action: deleted ? 'delete' : 'restore',
        changes: { deletedAt: { from: before.deletedAt, to: deletedAt } },
      });
      return this.get(id);
    });
    if (!member) return this.get(id);
    this.changed(id);
    return member;
  }

  /** A member whose identity may still change: exists and is not erased. */
  private editable(id: string): Member {
    const member = this.get(id);
    if (member.erasedAt !== null) throw new CoreError('member_erased', `Member ${id} was erased.`, { id });
    return member;
  }

  private checkNumberFree(number: string, id: string | null): void {
    const owner = this.findByNumber(number);
    if (owner && owner.id !== id) throw new CoreError('member_number_taken', `Member number ${number} is taken.`, { number });
  }

  /** A live category; a member may keep the one they had if it was deleted since. */
  private checkCategory(categoryId: string | null, current: string | null): void {
    if (categoryId === null || categoryId === current) return;
    const found = this.core.db.prepare('select 1 from categories where id = ? and deleted_at is null').get(categoryId);
    if (!found) throw new CoreError('category_not_found', `No category ${categoryId}.`, { id: categoryId });
  }

  private refuseDuplicates(input: MemberInput, excludeId: string | null): void {
    const matches = this.findDuplicates(input, excludeId);
    if (matches.length > 0) {
      throw new CoreError('possible_duplicate', `This member looks like ${matches.length} existing one(s).`, { matches });
    }
  }

  private changed(id: string): void {
    this.core.events.emit('members.changed', { ids: [id] });
  }
}
