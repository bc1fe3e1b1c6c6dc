/**
 * Members at scale: 100,000 members and 500,000 payments in a temp data dir, then the figures the members list
 * and the dashboards depend on, each against its goal. Run with `npm run bench:members`; prints, never fails.
 */
import { cpus, loadavg } from 'node:os';
import { memberSearchSchema } from '../src-main/contract/members';
import type { MemberInput } from '../src-main/contract';
import { duesDashboard } from '../src-main/core/dues/dashboard';
import { PaymentsService } from '../src-main/core/dues/payments-service';
import { parseImportFile } from '../src-main/core/members/import';
import { largeHelloAssoExport } from '../src-main/core/members/import/fixtures/large-helloasso';
import { planImport } from '../src-main/core/transfer/import-plan';
import { commitImport, importServices } from '../src-main/core/transfer/transfer-handlers';
import { searchMembers, type MemberSearchArgs } from '../src-main/core/members/member-search';
import { paidUntilByMember, statusContext } from '../src-main/core/members/member-status';
import { MembersService } from '../src-main/core/members/members-service';
import { fixedClock, tempCore } from '../src-main/testing/temp-core';
import { seedBenchData } from './seed-members';

const TODAY = '2026-03-15';
const TOMORROW = '2026-03-16';
const TYPED = ['h', 'he', 'hel', 'hele', 'helen', 'dupont', 'rennes', '1234', 'hélène d', 'courriel', 'saint-é', 'lefèvre quimper'];
const ROUNDS = 5;
const IMPORT_ROWS = 10_000;

const args = (overrides: Partial<MemberSearchArgs> = {}): MemberSearchArgs => memberSearchSchema.parse({ limit: 100, ...overrides });

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

function report(label: string, ms: number, goalMs?: number): void {
  const verdict = goalMs === undefined ? '' : ` (goal < ${goalMs} ms) ${ms < goalMs ? 'OK' : 'OVER'}`;
  console.log(`${label}: ${ms.toFixed(1)} ms${verdict}`);
}

// Figures are wall-clock: on a shared machine, read them next to the load.
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`${cpus().length} CPUs, load average ${load()}`);
const core = tempCore({ clock: fixedClock(`${TODAY}T09:00:00Z`) });
try {
  const seeded = time(() => seedBenchData(core));
  const { members, payments, reversals } = seeded.value;
  console.log(`seeded ${members} members, ${payments} payments (${reversals} reversals) in ${(seeded.ms / 1000).toFixed(1)} s`);

  // The status of every member straight from the database: one ledger query, then the rules per member.
  const cold = Array.from({ length: ROUNDS }, () =>
    time(() => {
      const paidUntil = paidUntilByMember(core.db);
      const context = statusContext(core, TODAY);
      const rows = core.db.prepare('select id, category_id from members where deleted_at is null').raw(true).all() as [string, string | null][];
      return rows.map(([id, categoryId]) => context.rowStatus(categoryId, paidUntil.get(id) ?? null));
    }).ms,
  );
  report('status of all members, from the database (median)', percentile(cold, 50), 150);

  const firstSearch = time(() => searchMembers(core, args(), TODAY));
  report('members index, first build (first search after start)', firstSearch.ms);
  const typing: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const query of TYPED) typing.push(time(() => searchMembers(core, args({ query }), TODAY)).ms);
  }
  report(`search-as-you-type p50 (${typing.length} queries, limit 100)`, percentile(typing, 50));
  report('search-as-you-type p95', percentile(typing, 95), 20);

  const variants: [string, Partial<MemberSearchArgs>][] = [
    ['all members, by name', {}],
    ['all members, by status desc', { sort: 'status', direction: 'desc' }],
    ['late or lapsed, by paid-until', { statuses: ['late', 'lapsed'], sort: 'paidUntil' }],
    ['"dupont" in a category, by city', { query: 'dupont', categoryId: seeded.value.categoryIds[0] ?? null, sort: 'city' }],
    ['page 50 of everyone, by number desc', { sort: 'number', direction: 'desc', offset: 5000 }],
  ];
  for (const [label, overrides] of variants) {
    searchMembers(core, args(overrides), TODAY); // the first call of a sort builds its order
    const runs = Array.from({ length: ROUNDS }, () => time(() => searchMembers(core, args(overrides), TODAY)).ms);
    report(`search: ${label} (p95)`, percentile(runs, 95), 20);
  }

  // A new day: every member's status is worked out again from the index's paid-until dates, then filtered.
  const nextDay = time(() => searchMembers(core, args({ statuses: ['late'] }), TOMORROW));
  report('status of all members, from the index (next day: all recomputed, late ones listed)', nextDay.ms, 150);

  // After a write, only the announced member is read again.
  const service = new MembersService(core);
  const someone = searchMembers(core, args({ query: 'dupont', categoryId: seeded.value.categoryIds[0] ?? null, limit: 1 }), TOMORROW).rows[0];
  if (someone) {
    const member: MemberInput = { ...service.get(someone.id), city: 'Lannion' };
    service.update(someone.id, member, { allowDuplicate: true });
    report('search right after editing a member', time(() => searchMembers(core, args({ query: 'lannion' }), TOMORROW)).ms);
    new PaymentsService(core).record({
      memberId: someone.id,
      amountCents: 2000,
      paidOn: TODAY,
      method: 'cash',
      reference: '',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      notes: '',
    });
    report('search right after recording a payment', time(() => searchMembers(core, args({ query: 'he' }), TOMORROW)).ms);
  }
  report('suggested next member number', time(() => service.nextNumber()).ms);

  console.log(`load average at the end ${load()}`);

  // The treasurer's dashboard: counts by status, income by month, year and method, the overdue list.
  duesDashboard(core, 2026, TOMORROW); // the first call sums the whole ledger once
  const dashboard = Array.from({ length: ROUNDS }, () => time(() => duesDashboard(core, 2026, TOMORROW)).ms);
  report('dashboard aggregates (median, warm)', percentile(dashboard, 50), 100);

  // A HelloAsso export re-saved by Excel, planned and written in one transaction on top of the 100,000 members.
  const file = largeHelloAssoExport(IMPORT_ROWS, 'Adhésion 2026');
  const services = importServices(core);
  const imported = time(() => commitImport(core, services, planImport(core, services, parseImportFile(file))));
  report(`HelloAsso import, ${IMPORT_ROWS} rows (parse, preview, write)`, imported.ms, 3000);
  console.log(`  created ${imported.value.counts.create}, payments ${imported.value.counts.payments}`);
} finally {
  core.cleanup();
}
