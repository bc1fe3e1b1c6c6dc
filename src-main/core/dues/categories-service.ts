import type { Category, CategoryInput, FeeRule, PeriodRule } from '../../contract';
import { diffFields } from '../audit/audit-log';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { normalizeText } from '../members/normalize';
import { writeTransaction } from '../db/write-transaction';

interface CategoryRow {
  id: string;
  name: string;
  fee_kind: FeeRule['kind'];
  fee_cents: number | null;
  period_kind: PeriodRule['kind'] | null;
  period_months: number | null;
  grace_days: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A category without its member count: what reading the rules per payment or per imported row needs. */
export type CategoryRules = Omit<Category, 'memberCount'>;

/** Live members: not deleted, as the members list counts them (an erased member still holds its category). */
const LIVE_MEMBER = 'deleted_at is null';

function feeFromRow(row: CategoryRow): FeeRule {
  switch (row.fee_kind) {
    case 'fixed':
      return { kind: 'fixed', amountCents: row.fee_cents ?? 0 };
    case 'pay_what_you_want':
      return { kind: 'pay_what_you_want', minimumCents: row.fee_cents ?? 0 };
    case 'exempt':
      return { kind: 'exempt' };
  }
}

function periodFromRow(row: CategoryRow): PeriodRule | null {
  if (row.period_kind === 'rolling_months') return { kind: 'rolling_months', months: row.period_months ?? 12 };
  return row.period_kind === null ? null : { kind: row.period_kind };
}

const toRules = (row: CategoryRow): CategoryRules => ({
  id: row.id,
  name: row.name,
  fee: feeFromRow(row),
  period: periodFromRow(row),
  graceDays: row.grace_days,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
});

/** The stored columns of an input; `fee_cents` is the fixed amount or the pay-what-you-want minimum. */
function toColumns(input: CategoryInput) {
  return {
    name: input.name,
    fee_kind: input.fee.kind,
    fee_cents:
      input.fee.kind === 'fixed' ? input.fee.amountCents : input.fee.kind === 'pay_what_you_want' ? input.fee.minimumCents : null,
    period_kind: input.period?.kind ?? null,
    period_months: input.period?.kind === 'rolling_months' ? input.period.months : null,
    grace_days: input.graceDays,
  };
}

const inputOf = ({ name, fee, period, graceDays }: Category): CategoryInput => ({ name, fee, period, graceDays });

/**
 * Case-insensitive and Unicode-aware ("étudiant" = "Étudiant"), which SQLite's NOCASE is not: imports match a
 * category column by name, and two live categories may not differ only by case.
 */
const comparableName = (name: string): string => name.normalize('NFC').trim().toLowerCase();
const sameName = (a: string, b: string): boolean => comparableName(a) === comparableName(b);

const compareNames = (a: string, b: string): number => {
  const [x, y] = [normalizeText(a), normalizeText(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Membership categories: what a member pays and, when set, their own period and grace rules. Soft-deleted. */
export class CategoriesService {
  constructor(private readonly core: Core) {}

  list({ includeDeleted = false }: { includeDeleted?: boolean } = {}): Category[] {
    const counts = new Map(
      this.core.db
        .prepare(`select category_id, count(*) from members where category_id is not null and ${LIVE_MEMBER} group by category_id`)
        .raw()
        .all() as [string, number][],
    );
    return this.rows(includeDeleted).map((rules) => ({ ...rules, memberCount: counts.get(rules.id) ?? 0 }));
  }

  /** Live or deleted: a member's payments still follow the category they were recorded under. */
  get(id: string): Category {
    const memberCount = this.core.db
      .prepare(`select count(*) from members where category_id = ? and ${LIVE_MEMBER}`)
      .pluck()
      .get(id) as number;
    return { ...this.rules(id), memberCount };
  }

  /** Like `get`, without counting the members. */
  rules(id: string): CategoryRules {
    const row = this.core.db.prepare('select * from categories where id = ?').get(id) as CategoryRow | undefined;
    if (!row) throw new CoreError('category_not_found', `No category ${id}.`, { id });
    return toRules(row);
  }

  findByName(name: string): Category | null {
    const found = this.rows(false).find((category) => sameName(category.name, name));
    return found ? this.get(found.id) : null;
  }

  create(input: CategoryInput): Category {
    return writeTransaction(this.core.db, () => {
      this.assertNameFree(input.name, null);
      const id = newId();
      const now = isoNow(this.core.clock);
      const c = toColumns(input);
      this.core.db
        .prepare(
          `insert into categories (id, name, fee_kind, fee_cents, period_kind, period_months, grace_days, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, c.name, c.fee_kind, c.fee_cents, c.period_kind, c.period_months, c.grace_days, now, now);
      this.core.audit.record({ entity: 'category', entityId: id, action: 'create', changes: diffFields({}, input) });
      return this.get(id);
    });
  }

  /** Members of the category see new rules at once: their status is computed on read. */
  update(id: string, input: CategoryInput): Category {
    const { category, memberIds } = writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      this.assertNameFree(input.name, id);
      const c = toColumns(input);
      this.core.db
        .prepare(
          `update categories set name = ?, fee_kind = ?, fee_cents = ?, period_kind = ?, period_months = ?, grace_days = ?,
             updated_at = ? where id = ?`,
        )
        .run(c.name, c.fee_kind, c.fee_cents, c.period_kind, c.period_months, c.grace_days, isoNow(this.core.clock), id);
      const changes = diffFields(inputOf(before), input);
      if (Object.keys(changes).length > 0) this.core.audit.record({ entity: 'category', entityId: id, action: 'update', changes });
      const ids = this.core.db.prepare(`select id from members where category_id = ? and ${LIVE_MEMBER}`).pluck().all(id) as string[];
      return { category: this.get(id), memberIds: ids };
    });
    // Names, statuses and fees shown in the members' rows may have changed.
    if (memberIds.length > 0) this.core.events.emit('members.changed', { ids: memberIds });
    return category;
  }

  /** Refused while live members belong to it: they would silently fall back to the association's rules. */
  delete(id: string): Category {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (before.memberCount > 0) {
        throw new CoreError('category_in_use', `${before.memberCount} members belong to category ${before.name}.`, {
          count: before.memberCount,
        });
      }
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update categories set deleted_at = ?, updated_at = ? where id = ?').run(now, now, id);
      this.core.audit.record({ entity: 'category', entityId: id, action: 'delete', changes: { deletedAt: { from: null, to: now } } });
      return this.get(id);
    });
  }

  private getLive(id: string): Category {
    const category = this.get(id);
    if (category.deletedAt !== null) throw new CoreError('category_not_found', `Category ${id} is deleted.`, { id });
    return category;
  }

  /** Sorted here: SQLite's NOCASE would put "Étudiant" after "Retraité". */
  private rows(includeDeleted: boolean): CategoryRules[] {
    const rows = this.core.db
      .prepare('select * from categories where ? or deleted_at is null order by created_at')
      .all(includeDeleted ? 1 : 0) as CategoryRow[];
    return rows.map(toRules).sort((a, b) => compareNames(a.name, b.name));
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const taken = this.rows(false).some((category) => category.id !== exceptId && sameName(category.name, name));
    if (taken) throw new CoreError('category_name_taken', `A category is already named ${name}.`, { name });
  }
}
