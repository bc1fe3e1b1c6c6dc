import type { z } from 'zod';
import type { DuesStatus, MemberRow, MemberSearchResult } from '../../contract';
import type { memberSearchSchema } from '../../contract/members';
import type { Core } from '../core';
import { displayName } from './display-name';
import { memberIndex, type IndexedMember } from './member-index';
import { statusContext } from './member-status';
import { searchTerms } from './normalize';

export type MemberSearchArgs = z.output<typeof memberSearchSchema>;

/**
 * Search-as-you-type: every term of the query (normalised like search_text) must occur in the member's name,
 * email, number or city. Served by the in-memory members index; only the requested page becomes rows.
 */
export function searchMembers(core: Core, args: MemberSearchArgs, today: string): MemberSearchResult {
  const context = statusContext(core, today);
  const { total, page } = memberIndex(core).query(
    { terms: searchTerms(args.query), includeDeleted: args.includeDeleted, categoryId: args.categoryId, statuses: args.statuses },
    args.sort,
    args.direction,
    { offset: args.offset, limit: args.limit },
    context,
  );
  return { total, offset: args.offset, rows: page.map(({ entry, status }) => toRow(entry, status, context.categoryNames)) };
}

const toRow = (entry: IndexedMember, status: DuesStatus, categoryNames: ReadonlyMap<string, string>): MemberRow => ({
  id: entry.id,
  number: entry.number,
  displayName: displayName(entry),
  email: entry.email,
  city: entry.city,
  categoryId: entry.categoryId,
  categoryName: entry.categoryId === null ? null : (categoryNames.get(entry.categoryId) ?? null),
  status,
  paidUntil: entry.paidUntil,
  deleted: entry.deleted,
});
