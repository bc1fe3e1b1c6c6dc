import type { MemberDetail } from '../../contract';
import type { Core } from '../core';
import { displayName } from './display-name';
import { memberPayments } from './member-payments';
import { paidUntilByMember, statusContext } from './member-status';
import { MembersService } from './members-service';

/** One member's page: identity, dues status, ledger and history. */
export function memberDetail(core: Core, id: string, today: string): MemberDetail {
  const member = new MembersService(core).get(id);
  const context = statusContext(core, today);
  const paidUntil = paidUntilByMember(core.db, [id]).get(id) ?? null;
  return {
    member,
    displayName: displayName(member),
    categoryName: member.categoryId === null ? null : (context.categoryNames.get(member.categoryId) ?? null),
    status: context.rowStatus(member.categoryId, paidUntil),
    paidUntil,
    payments: memberPayments(core, id),
    audit: core.audit.list({ entity: 'member', entityId: id }),
  };
}
