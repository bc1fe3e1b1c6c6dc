import type { DuesStatus, PeriodRule } from '../../contract';
import type { Core } from '../core';
import type { Db } from '../db/open';
import { resolveDuesRules, statusOn, type DuesRules } from '../dues/status';

/**
 * paid_until per member: the latest period end among payments neither reversals (they have no period) nor
 * reversed. Two forms of the same rule, each the fastest measured for its case at 500,000 payments:
 * - every member: the reversed payments are listed once through the reversal index and matched by rowid, so the
 *   scan stays on the covering index payments_by_member (a CASE: twice as fast as `rowid NOT IN (...)`);
 * - a few members: NOT EXISTS per payment, as listing all reversed payments alone would cost more than the lookup.
 */
const PAID_UNTIL_ALL = `
  select member_id, max(case when rowid in (
      select target.rowid from payments reversal join payments target on target.id = reversal.reverses_payment_id
      where reversal.reverses_payment_id is not null
    ) then null else period_end end)
  from payments
  group by member_id`;

const PAID_UNTIL_SOME = `
  select member_id, max(period_end)
  from payments p
  where member_id in (select value from json_each(?)) and period_end is not null
    and not exists (select 1 from payments reversal where reversal.reverses_payment_id = p.id)
  group by member_id`;

/** Each member's paid-until date, in one query; members with nothing effectively paid are absent. */
export function paidUntilByMember(db: Db, memberIds?: readonly string[]): Map<string, string> {
  const rows = (
    memberIds === undefined ? db.prepare(PAID_UNTIL_ALL).raw(true).all() : db.prepare(PAID_UNTIL_SOME).raw(true).all(JSON.stringify(memberIds))
  ) as [string, string | null][];
  const map = new Map<string, string>();
  for (const [memberId, until] of rows) if (until !== null) map.set(memberId, until);
  return map;
}

interface CategoryRow {
  id: string;
  name: string;
  fee_kind: 'fixed' | 'exempt' | 'pay_what_you_want';
  period_kind: PeriodRule['kind'] | null;
  period_months: number | null;
  grace_days: number | null;
}

function periodOverride(row: CategoryRow): PeriodRule | null {
  if (row.period_kind === null) return null;
  if (row.period_kind === 'rolling_months') return { kind: 'rolling_months', months: row.period_months ?? 12 };
  return { kind: row.period_kind };
}

/** Today's rules for every category, so list statuses cost a lookup, not a ledger read. */
export interface StatusContext {
  today: string;
  /** Changes whenever today, the association's rules or any category's rules or name change: caches key on it. */
  key: string;
  /** Names of all categories, soft-deleted ones included (their members still point at them). */
  categoryNames: ReadonlyMap<string, string>;
  rowStatus(categoryId: string | null, paidUntil: string | null): DuesStatus;
}

export function statusContext(core: Core, today: string): StatusContext {
  const settings = core.settings.get();
  const association: DuesRules = { period: settings.duesPeriod, graceDays: settings.duesGraceDays };
  const categories = core.db
    .prepare('select id, name, fee_kind, period_kind, period_months, grace_days from categories order by id')
    .all() as CategoryRow[];
  const byId = new Map(categories.map((c) => [c.id, { exempt: c.fee_kind === 'exempt', rules: resolveDuesRules(association, { period: periodOverride(c), graceDays: c.grace_days }) }]));
  // Many members share a category and a period end: each pair is worked out once.
  const memo = new Map<string | null, Map<string | null, DuesStatus>>();
  return {
    today,
    key: JSON.stringify([today, association, categories]),
    categoryNames: new Map(categories.map((c) => [c.id, c.name])),
    rowStatus(categoryId, paidUntil) {
      let byDate = memo.get(categoryId);
      if (!byDate) memo.set(categoryId, (byDate = new Map<string | null, DuesStatus>()));
      let status = byDate.get(paidUntil);
      if (status === undefined) {
        const category = categoryId === null ? undefined : byId.get(categoryId);
        status = category?.exempt ? 'exempt' : statusOn(today, paidUntil, category?.rules ?? association);
        byDate.set(paidUntil, status);
      }
      return status;
    },
  };
}
