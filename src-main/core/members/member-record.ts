import type { Member, MemberInput } from '../../contract';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import { normalizeText } from './normalize';

/** A `members` row as SQLite returns it. */
export interface MemberDbRow {
  id: string;
  number: string;
  first_name: string;
  last_name: string;
  organisation_name: string;
  email: string;
  phone: string;
  address: string;
  postcode: string;
  city: string;
  country: string;
  category_id: string | null;
  joined_on: string | null;
  left_on: string | null;
  notes: string;
  newsletter_consent: number;
  newsletter_consent_on: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** The editable fields, in form order: audit entries and exports list them this way. */
export const MEMBER_FIELDS = [
  'number',
  'firstName',
  'lastName',
  'organisationName',
  'email',
  'phone',
  'address',
  'postcode',
  'city',
  'country',
  'categoryId',
  'joinedOn',
  'leftOn',
  'notes',
  'newsletterConsent',
  'newsletterConsentOn',
] as const satisfies readonly (keyof MemberInput)[];

export function toMember(row: MemberDbRow): Member {
  return {
    id: row.id,
    number: row.number,
    firstName: row.first_name,
    lastName: row.last_name,
    organisationName: row.organisation_name,
    email: row.email,
    phone: row.phone,
    address: row.address,
    postcode: row.postcode,
    city: row.city,
    country: row.country,
    categoryId: row.category_id,
    joinedOn: row.joined_on,
    leftOn: row.left_on,
    notes: row.notes,
    newsletterConsent: row.newsletter_consent === 1,
    newsletterConsentOn: row.newsletter_consent_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    erasedAt: row.erased_at,
  };
}

/** What a GDPR erasure blanks: everything but the number, category and membership dates kept for the books. */
export const ERASED = (() => {
  const { number, categoryId, joinedOn, leftOn, ...blank } = EMPTY_MEMBER_INPUT;
  return blank;
})();

/** Just the editable fields, whatever else the object carries (a Member, an import row...). */
export const inputOf = (member: MemberInput): MemberInput =>
  Object.fromEntries(MEMBER_FIELDS.map((field) => [field, member[field]])) as MemberInput;

/** "last first", or the organisation: what the name sort and the name half of duplicate detection compare. */
export const sortNameOf = (m: Pick<MemberInput, 'firstName' | 'lastName' | 'organisationName'>): string =>
  normalizeText(m.organisationName !== '' ? m.organisationName : `${m.lastName} ${m.firstName}`);

const searchTextOf = (m: MemberInput): string =>
  normalizeText([m.number, m.organisationName, m.firstName, m.lastName, m.email, m.city].join(' '));

/** The row's columns for INSERT_MEMBER / UPDATE_MEMBER: the input plus its derived search columns. */
export function memberParams(m: MemberInput) {
  return {
    number: m.number,
    first_name: m.firstName,
    last_name: m.lastName,
    organisation_name: m.organisationName,
    email: m.email,
    phone: m.phone,
    address: m.address,
    postcode: m.postcode,
    city: m.city,
    country: m.country,
    category_id: m.categoryId,
    joined_on: m.joinedOn,
    left_on: m.leftOn,
    notes: m.notes,
    newsletter_consent: m.newsletterConsent ? 1 : 0,
    newsletter_consent_on: m.newsletterConsentOn,
    search_text: searchTextOf(m),
    sort_name: sortNameOf(m),
  };
}

const WRITTEN_COLUMNS = [
  'number',
  'first_name',
  'last_name',
  'organisation_name',
  'email',
  'phone',
  'address',
  'postcode',
  'city',
  'country',
  'category_id',
  'joined_on',
  'left_on',
  'notes',
  'newsletter_consent',
  'newsletter_consent_on',
  'search_text',
  'sort_name',
] as const satisfies readonly (keyof ReturnType<typeof memberParams>)[];

/** Named parameters: memberParams(...) plus id, created_at and updated_at. */
export const INSERT_MEMBER = `insert into members (id, ${WRITTEN_COLUMNS.join(', ')}, created_at, updated_at)
  values (@id, ${WRITTEN_COLUMNS.map((c) => `@${c}`).join(', ')}, @created_at, @updated_at)`;

/** Named parameters: memberParams(...) plus id and updated_at. */
export const UPDATE_MEMBER = `update members set ${WRITTEN_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updated_at
  where id = @id`;
