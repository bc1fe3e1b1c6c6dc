import { z } from 'zod';
import type { AuditEntry } from './audit';
import { event, method } from './define';
import type { FilePayload } from './fields';
import { id, isoDate, multilineText, text } from './fields';
import type { DuesStatus, PaymentView } from './dues';
import { DUES_STATUSES } from './dues';

export const memberInputSchema = z
  .object({
    number: text(40).min(1),
    firstName: text(120),
    lastName: text(120),
    /** For a legal person (another association, a company). */
    organisationName: text(200),
    email: z.union([z.literal(''), z.email().max(254)]),
    phone: text(40),
    address: multilineText(500),
    postcode: text(20),
    city: text(120),
    country: text(80),
    categoryId: id.nullable(),
    joinedOn: isoDate.nullable(),
    leftOn: isoDate.nullable(),
    notes: multilineText(5000),
    newsletterConsent: z.boolean(),
    newsletterConsentOn: isoDate.nullable(),
  })
  .strict()
  .refine((m) => m.firstName !== '' || m.lastName !== '' || m.organisationName !== '', {
    message: 'a member needs a name or an organisation name',
    path: ['lastName'],
  })
  .refine((m) => !m.leftOn || !m.joinedOn || m.leftOn >= m.joinedOn, { message: 'left before joining', path: ['leftOn'] });

export type MemberInput = z.infer<typeof memberInputSchema>;

/** A member with nothing filled in: the form's starting point, and what an import fills column by column. */
export const EMPTY_MEMBER_INPUT: MemberInput = {
  number: '', firstName: '', lastName: '', organisationName: '', email: '', phone: '', address: '', postcode: '',
  city: '', country: '', categoryId: null, joinedOn: null, leftOn: null, notes: '', newsletterConsent: false,
  newsletterConsentOn: null,
};

export interface Member extends MemberInput {
  id: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  erasedAt: string | null;
}

/** One line of the members list. */
export interface MemberRow {
  id: string;
  number: string;
  displayName: string;
  email: string;
  city: string;
  categoryId: string | null;
  categoryName: string | null;
  status: DuesStatus;
  paidUntil: string | null;
  deleted: boolean;
}

export interface MemberDetail {
  member: Member;
  displayName: string;
  categoryName: string | null;
  status: DuesStatus;
  paidUntil: string | null;
  payments: PaymentView[];
  audit: AuditEntry[];
}

/** Why a new or edited member looks like an existing one. */
export interface DuplicateMatch {
  id: string;
  number: string;
  displayName: string;
  reason: 'email' | 'name_postcode';
}

export const MEMBER_SORTS = ['number', 'name', 'email', 'city', 'category', 'status', 'paidUntil'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export const memberSearchSchema = z
  .object({
    query: text(200).default(''),
    categoryId: id.nullable().default(null),
    statuses: z.array(z.enum(DUES_STATUSES)).max(DUES_STATUSES.length).default([]),
    includeDeleted: z.boolean().default(false),
    sort: z.enum(MEMBER_SORTS).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export interface MemberSearchResult {
  total: number;
  offset: number;
  rows: MemberRow[];
}

export const memberMethods = {
  'members.search': method<MemberSearchResult>()(memberSearchSchema),
  'members.get': method<MemberDetail>()(z.object({ id }).strict()),
  'members.nextNumber': method<string>()(z.object({}).strict()),
  'members.findDuplicates': method<DuplicateMatch[]>()(
    z.object({ member: memberInputSchema, excludeId: id.nullable().default(null) }).strict(),
  ),
  /** Refused with `possible_duplicate` (details.matches) unless allowDuplicate: the user confirmed. */
  'members.create': method<Member>()(z.object({ member: memberInputSchema, allowDuplicate: z.boolean().default(false) }).strict()),
  'members.update': method<Member>()(
    z.object({ id, member: memberInputSchema, allowDuplicate: z.boolean().default(false) }).strict(),
  ),
  'members.delete': method<Member>()(z.object({ id }).strict()),
  'members.restore': method<Member>()(z.object({ id }).strict()),
  /** GDPR: everything Pelote holds about one member, as JSON. */
  'members.exportPersonalData': method<FilePayload>()(z.object({ id }).strict()),
  /** GDPR erasure: identity anonymised, payment amounts and dates kept for the books. */
  'members.erase': method<Member>()(z.object({ id }).strict()),
};

export const memberEvents = {
  /** Members or payments changed: lists and dashboards refresh. */
  'members.changed': event<{ ids: string[] }>(),
};
