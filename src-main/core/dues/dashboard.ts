import type { DuesDashboard, DuesStatus, PaymentMethod } from '../../contract';
import { DUES_STATUSES, PAYMENT_METHODS } from '../../contract/dues';
import { memberSearchSchema } from '../../contract/members';
import type { Core } from '../core';
import { searchMembers } from '../members/member-search';

/** Late and lapsed members for reminders, as the members list would show them filtered that way. */
const OVERDUE_SEARCH = memberSearchSchema.parse({ statuses: ['late', 'lapsed'], sort: 'status', limit: 1000 });

/**
 * The treasurer's figures for `year` (months and methods; incomeByYear spans the whole ledger). Statuses are
 * those of the members list. Money is net of reversals, each counted on its own date: a correction booked in April
 * lowers April. The count per method is net too: a reversed payment and its reversal cancel out.
 */
export function duesDashboard(core: Core, year: number, today: string): DuesDashboard {
  const totals = ledgerTotals(core);
  const ofYear = totals.filter((t) => t.month.startsWith(`${year}-`));
  const years = [...new Set(totals.map((t) => Number(t.month.slice(0, 4))))].sort((a, b) => a - b);
  return {
    today,
    year,
    counts: statusCounts(core, today),
    incomeByMonth: Array.from({ length: 12 }, (_, i) => {
      const month = `${year}-${String(i + 1).padStart(2, '0')}`;
      return { month, cents: sumOf(ofYear.filter((t) => t.month === month), 'cents') };
    }),
    incomeByYear: years.map((y) => ({ year: y, cents: sumOf(totals.filter((t) => t.month.startsWith(`${y}-`)), 'cents') })),
    totalsByMethod: PAYMENT_METHODS.flatMap((method) => {
      const rows = ofYear.filter((t) => t.method === method);
      return rows.length === 0 ? [] : [{ method, cents: sumOf(rows, 'cents'), count: sumOf(rows, 'count') }];
    }),
    overdue: searchMembers(core, OVERDUE_SEARCH, today).rows,
  };
}

/**
 * Members not deleted, by status: the totals of the members search filtered by each status, so the dashboard
 * and the filtered list can never disagree. The search runs on the members index, in memory.
 */
function statusCounts(core: Core, today: string): Record<DuesStatus, number> {
  const count = (status: DuesStatus) => searchMembers(core, memberSearchSchema.parse({ statuses: [status], limit: 1 }), today).total;
  return Object.fromEntries(DUES_STATUSES.map((status) => [status, count(status)])) as Record<DuesStatus, number>;
}

/** Net cents and net number of payments of one month and method. */
interface LedgerTotal {
  month: string;
  method: PaymentMethod;
  cents: number;
  count: number;
}

const totalsByCore = new WeakMap<Core, { lastRowid: number; totals: Map<string, LedgerTotal> }>();

/**
 * The whole ledger summed by month and method, kept in memory and brought up to date from the rows added since:
 * payments are append-only (the schema refuses updates and deletes), so a row once counted never changes, and a
 * new row, from this connection or another, always gets a higher rowid. At 500,000 payments the first sum takes a
 * few hundred milliseconds, the later ones under one.
 */
function ledgerTotals(core: Core): LedgerTotal[] {
  let cache = totalsByCore.get(core);
  if (!cache) {
    cache = { lastRowid: 0, totals: new Map() };
    totalsByCore.set(core, cache);
  }
  const added = core.db
    .prepare(
      `select substr(paid_on, 1, 7) as month, method, sum(amount_cents) as cents,
         sum(iif(reverses_payment_id is null, 1, -1)) as count, max(rowid) as last
       from payments where rowid > ? group by month, method`,
    )
    .all(cache.lastRowid) as (LedgerTotal & { last: number })[];
  for (const { last, ...row } of added) {
    const key = `${row.month}|${row.method}`;
    const total = cache.totals.get(key);
    cache.totals.set(key, total ? { ...total, cents: total.cents + row.cents, count: total.count + row.count } : row);
    cache.lastRowid = Math.max(cache.lastRowid, last);
  }
  return [...cache.totals.values()];
}

const sumOf = <K extends string>(rows: readonly Record<K, number>[], key: K): number => rows.reduce((sum, row) => sum + row[key], 0);
