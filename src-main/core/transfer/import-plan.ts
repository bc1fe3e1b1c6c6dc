import type { MemberInput } from '../../contract/members';
import { EMPTY_MEMBER_INPUT, memberInputSchema } from '../../contract/members';
import type { ImportIssue, ImportPreview, ImportPreviewRow } from '../../contract/transfer';
import type { Core } from '../core';
import type { CategoriesService } from '../dues/categories-service';
import type { PaymentsService } from '../dues/payments-service';
import { displayName } from '../members/display-name';
import type { ImportParseResult, ParsedMember, ParsedPayment, ParsedRow } from '../members/import';
import { MEMBER_FIELDS } from '../members/member-record';
import type { MembersService } from '../members/members-service';
import { paymentImportRef } from './import-ref';

/** Row codes that mean "not a membership payment": reported, but they do not block the import. */
const SKIPPED_CODES = new Set(['payment_not_completed', 'not_membership']);

export interface PlannedRow {
  line: number;
  /** Existing member id, or a key shared by the rows of one member the import creates. */
  target: { kind: 'existing'; id: string } | { kind: 'new'; key: string };
  member: MemberInput;
  changed: boolean;
  categoryName: string | null;
  payment: (ParsedPayment & { importRef: string }) | null;
}

export interface ImportPlan {
  preview: ImportPreview;
  rows: PlannedRow[];
  /** Categories named in the file that do not exist yet; created at commit. */
  newCategories: string[];
}

export interface ImportServices {
  members: MembersService;
  categories: CategoriesService;
  payments: PaymentsService;
}

/** The file's values over the member's: a column the file does not have (null) never erases what Pelote knows. */
function merge(base: MemberInput, parsed: ParsedMember, categoryId: string | null | undefined): MemberInput {
  const pick = <T>(value: T | null, current: T): T => (value === null ? current : value);
  return {
    ...base,
    number: pick(parsed.memberNumber, base.number),
    firstName: pick(parsed.firstName, base.firstName),
    lastName: pick(parsed.lastName, base.lastName),
    organisationName: pick(parsed.organisationName, base.organisationName),
    email: pick(parsed.email, base.email),
    phone: pick(parsed.phone, base.phone),
    address: pick(parsed.address, base.address),
    postcode: pick(parsed.postcode, base.postcode),
    city: pick(parsed.city, base.city),
    country: pick(parsed.country, base.country),
    categoryId: categoryId === undefined ? base.categoryId : categoryId,
    joinedOn: pick(parsed.joinedOn, base.joinedOn),
    leftOn: pick(parsed.leftOn, base.leftOn),
    notes: pick(parsed.notes, base.notes),
    newsletterConsent: pick(parsed.newsletterConsent, base.newsletterConsent),
    newsletterConsentOn: pick(parsed.newsletterConsentOn, base.newsletterConsentOn),
  };
}

const changedFields = (before: MemberInput, after: MemberInput): string[] =>
  MEMBER_FIELDS.filter((field) => before[field] !== after[field]);

/**
 * Decides, without writing anything, what importing the file would do. Members are matched by number, then email,
 * then by a payment reference already imported (HelloAsso order/payment): importing the same file twice finds
 * everything unchanged.
 */
export function planImport(core: Core, services: ImportServices, parsed: ImportParseResult): ImportPlan {
  const issues: ImportIssue[] = parsed.errors.map((e) => ({ line: e.line, code: e.code, params: e.params }));
  const blocking = new Set(parsed.errors.filter((e) => !SKIPPED_CODES.has(e.code)).map((e) => e.line));
  const previewRows: ImportPreviewRow[] = [...blocking].map((line) => ({
    line, action: 'error', displayName: '', changes: [], newPayments: 0, duplicateOf: null,
  }));
  const rows: PlannedRow[] = [];
  const newCategories = new Set<string>();
  const created = new CreatedMembers();
  // Most rows name one of a few categories: look each name up once.
  const categories = new Map<string | null, CategoryChoice>();
  const seenRefs = new Set<string>();
  let nextNumber = Number(services.members.nextNumber());

  for (const row of parsed.rows) {
    let category = categories.get(row.member.category);
    if (!category) {
      category = resolveCategory(services, row.member.category, newCategories);
      categories.set(row.member.category, category);
    }
    const importRef = row.payment ? paymentImportRef(parsed.format, row) : null;
    const existing = findExisting(services, row, importRef);
    const pending = existing ? undefined : created.find(row.member);

    let target: PlannedRow['target'];
    let before: MemberInput;
    if (existing) {
      target = { kind: 'existing', id: existing.id };
      before = toInput(existing);
    } else if (pending) {
      target = { kind: 'new', key: pending.key };
      before = pending.member;
    } else {
      const number = row.member.memberNumber ?? String(nextNumber++);
      target = { kind: 'new', key: number };
      before = { ...EMPTY_MEMBER_INPUT, number };
    }
    const member = merge(before, row.member, categoryIdOf(category));
    const checked = memberInputSchema.safeParse(member);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      issues.push({ line: row.line, code: 'invalid_member', params: { field: String(issue?.path[0] ?? ''), message: issue?.message ?? '' } });
      previewRows.push({ line: row.line, action: 'error', displayName: displayName(member), changes: [], newPayments: 0, duplicateOf: null });
      continue;
    }
    // A free membership (0 €, "Gratuit") is carried by an exempt category, not by a payment.
    const paid = row.payment !== null && row.payment.amountCents > 0;
    const newPayment = paid && importRef !== null && !seenRefs.has(importRef) && !services.payments.findByImportRef(importRef);
    if (importRef) seenRefs.add(importRef);
    const changes = target.kind === 'new' && !pending ? [] : changedFields(before, member);
    const action: ImportPreviewRow['action'] = target.kind === 'new' && !pending ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
    if (target.kind === 'new') created.add(target.key, member);
    const duplicate = action === 'create' ? services.members.findDuplicates(member, null)[0] : undefined;

    previewRows.push({
      line: row.line,
      action,
      displayName: displayName(member),
      changes,
      newPayments: newPayment ? 1 : 0,
      duplicateOf: duplicate ? `${duplicate.number} ${duplicate.displayName}` : null,
    });
    rows.push({
      line: row.line,
      target,
      member,
      changed: action !== 'unchanged',
      categoryName: category.kind === 'new' ? category.name : null,
      payment: row.payment && importRef && (newPayment || !paid) ? { ...row.payment, importRef } : null,
    });
  }

  previewRows.sort((a, b) => a.line - b.line);
  issues.sort((a, b) => a.line - b.line);
  const count = (action: ImportPreviewRow['action']) => previewRows.filter((r) => r.action === action).length;
  return {
    preview: {
      format: parsed.format,
      encoding: parsed.encoding,
      separator: parsed.separator,
      counts: {
        create: count('create'),
        update: count('update'),
        unchanged: count('unchanged'),
        error: count('error'),
        payments: rows.filter((r) => r.payment && r.payment.amountCents > 0).length,
      },
      rows: previewRows,
      issues,
    },
    rows,
    newCategories: [...newCategories],
  };
}

/** The file's category for a row: absent (keep the member's), cleared, an existing one, or one to create. */
type CategoryChoice = { kind: 'absent' } | { kind: 'none' } | { kind: 'existing'; id: string } | { kind: 'new'; name: string };

function resolveCategory(services: ImportServices, name: string | null, newCategories: Set<string>): CategoryChoice {
  if (name === null) return { kind: 'absent' };
  if (name.trim() === '') return { kind: 'none' };
  const found = services.categories.findByName(name);
  if (found) return { kind: 'existing', id: found.id };
  newCategories.add(name.trim());
  return { kind: 'new', name: name.trim() };
}

const categoryIdOf = (choice: CategoryChoice): string | null | undefined =>
  choice.kind === 'absent' ? undefined : choice.kind === 'existing' ? choice.id : null;

function findExisting(services: ImportServices, row: ParsedRow, importRef: string | null) {
  const { memberNumber, email } = row.member;
  const byNumber = memberNumber ? services.members.findByNumber(memberNumber) : null;
  if (byNumber) return byNumber;
  const byEmail = email ? services.members.findByEmail(email) : null;
  if (byEmail) return byEmail;
  const payment = importRef ? services.payments.findByImportRef(importRef) : null;
  return payment ? services.members.get(payment.memberId) : null;
}

/** Members this file creates, by number and by email, so that a second row for the same person joins the first. */
class CreatedMembers {
  private readonly byNumber = new Map<string, { key: string; member: MemberInput }>();
  private readonly byEmail = new Map<string, { key: string; member: MemberInput }>();

  find(parsed: ParsedMember) {
    return (parsed.memberNumber ? this.byNumber.get(parsed.memberNumber) : undefined) ?? (parsed.email ? this.byEmail.get(parsed.email) : undefined);
  }

  add(key: string, member: MemberInput): void {
    const entry = { key, member };
    this.byNumber.set(member.number, entry);
    if (member.email) this.byEmail.set(member.email, entry);
  }
}

function toInput(member: MemberInput): MemberInput {
  return Object.fromEntries(MEMBER_FIELDS.map((field) => [field, member[field]])) as MemberInput;
}
