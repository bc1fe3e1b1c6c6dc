import type { DuesStatus } from '../../contract';
import { DUES_STATUSES } from '../../contract/dues';
import type { Core } from '../core';
import { STATUS_RANK } from '../dues/status';
import { paidUntilByMember, type StatusContext } from './member-status';
import { normalizeText } from './normalize';

/**
 * An in-memory copy of what the members list searches, sorts and shows, one slot per member.
 *
 * Why in memory: at 100,000 members a SQL scan of search_text costs 30–60 ms per keystroke, and handing 100,000
 * rows to JS as much again. Here a query is one indexOf pass per term over all search texts joined in one string,
 * then one pass over a precomputed order of slot numbers with typed-array filters — a few milliseconds.
 * (Looping over 100,000 objects' strings measured 3 to 10 times slower than the joined string: memory locality.)
 *
 * How it stays true: writers emit `members.changed` with member ids (MembersService, the payments service and the
 * importers do), and only those members are read again. A change nobody announced — a new row in members or
 * payments, or a commit by another connection — shows in a cheap fingerprint and the whole index is rebuilt.
 */
export interface IndexedMember {
  id: string;
  number: string;
  /** The name parts, for displayName() on the rows of a page only. */
  firstName: string;
  lastName: string;
  organisationName: string;
  email: string;
  city: string;
  categoryId: string | null;
  deleted: boolean;
  searchText: string;
  paidUntil: string | null;
  /** Sort keys: normalised; an empty value is LAST. */
  nameKey: string;
  numberKey: string;
  emailKey: string;
  cityKey: string;
}

export type IndexSort = 'number' | 'name' | 'email' | 'city' | 'category' | 'status' | 'paidUntil';

/** What a query filters on: slots that match every term, live or deleted, one category, some statuses. */
export interface IndexFilter {
  terms: readonly string[];
  includeDeleted: boolean;
  categoryId: string | null;
  statuses: readonly DuesStatus[];
}

interface MemberListRow {
  id: string;
  number: string;
  first_name: string;
  last_name: string;
  organisation_name: string;
  email: string;
  city: string;
  category_id: string | null;
  deleted: number;
  search_text: string;
  sort_name: string;
}

const LIST_COLUMNS = `id, number, first_name, last_name, organisation_name, email, city, category_id,
  deleted_at is not null as deleted, search_text, sort_name`;

/** Past this many announced changes, one full rebuild is cheaper than patching member by member. */
const PATCH_LIMIT = 500;
const LAST = '\uffff';
/** Never inside a search text (normalizeText turns every whitespace into a space). */
const SEPARATOR = '\n';

// Natural order for member numbers: numeric ones by value ("9" before "10"), then the others alphabetically.
const numberKey = (number: string) => (/^\d+$/.test(number) ? `0${number.replace(/^0+/, '').padStart(40, '0')}` : `1${normalizeText(number)}`);
const orLast = (key: string) => (key === '' ? LAST : key);

function toEntry(row: MemberListRow, paidUntil: string | null, cityKey: (city: string) => string): IndexedMember {
  return {
    id: row.id,
    number: row.number,
    firstName: row.first_name,
    lastName: row.last_name,
    organisationName: row.organisation_name,
    email: row.email,
    city: row.city,
    categoryId: row.category_id,
    deleted: row.deleted === 1,
    searchText: row.search_text,
    paidUntil,
    nameKey: orLast(row.sort_name),
    numberKey: numberKey(row.number),
    emailKey: orLast(row.email.toLowerCase()),
    cityKey: cityKey(row.city),
  };
}

type Compare = (a: IndexedMember, b: IndexedMember) => number;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName: Compare = (a, b) => cmp(a.nameKey, b.nameKey) || cmp(a.numberKey, b.numberKey) || cmp(a.id, b.id);
/** Orders kept sorted across changes; the other sorts are derived from the name order on demand. */
const STATIC_ORDERS = {
  name: byName,
  number: (a, b) => cmp(a.numberKey, b.numberKey) || cmp(a.id, b.id),
  email: (a, b) => cmp(a.emailKey, b.emailKey) || byName(a, b),
} satisfies Record<string, Compare>;
type StaticSort = keyof typeof STATIC_ORDERS;
const isStatic = (sort: IndexSort): sort is StaticSort => Object.hasOwn(STATIC_ORDERS, sort);

/** Max rowids of members and payments, and SQLite's counter of commits by other connections. */
interface Fingerprint {
  members: number | null;
  payments: number | null;
  dataVersion: number;
}
const sameFingerprint = (a: Fingerprint, b: Fingerprint) =>
  a.members === b.members && a.payments === b.payments && a.dataVersion === b.dataVersion;

/** Per-slot data laid out for fast scans, derived from the entries after each change. */
interface Columns {
  /** Every search text, joined by SEPARATOR; slot s spans starts[s] to starts[s + 1] - 1. */
  haystack: string;
  starts: Int32Array;
  deleted: Uint8Array;
  /** Category number per slot (-1: none); numbers from `categoryCodes`. */
  category: Int32Array;
  categoryCodes: Map<string, number>;
}

const STATUS_CODE = new Map(DUES_STATUSES.map((status, code) => [status, code]));

export class MemberIndex {
  /** Slots never move; a member that disappears (a rolled-back insert) leaves null. */
  private entries: (IndexedMember | null)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly staticOrders = new Map<StaticSort, number[]>();
  private readonly derived = new Map<string, { stamp: string; order: readonly number[] }>();
  /** Null when an entry's search text, deletion or category changed since they were derived. */
  private columns: Columns | null = null;
  /** Cities repeat: each is normalised once. */
  private readonly cityKeys = new Map<string, string>();
  private statusCache: { key: string; codes: Uint8Array } | null = null;
  /** Slots whose status must be worked out again; null: all of them. */
  private staleStatuses: Set<number> | null = null;
  private readonly announced = new Set<string>();
  private fingerprint: Fingerprint | null = null;
  /** Bumped on every change, so what is derived from the entries knows when it is stale. */
  private generation = 0;

  constructor(private readonly core: Core) {
    core.events.onAny((name, payload) => {
      if (name === 'members.changed') for (const id of (payload as { ids: string[] }).ids) this.announced.add(id);
    });
  }

  /**
   * The members passing `filter`, in display order, and how many there are; only the `offset`…`offset + limit`
   * slice becomes entries. Ties, and members whose sort value is empty (always last), follow the name order.
   */
  query(
    filter: IndexFilter,
    sort: IndexSort,
    direction: 'asc' | 'desc',
    page: { offset: number; limit: number },
    context: StatusContext,
  ): { total: number; page: { entry: IndexedMember; status: DuesStatus }[] } {
    this.refresh();
    const columns = this.currentColumns();
    const statuses = this.statusCodes(context);
    const order = this.order(sort, direction, context, statuses);
    const hits = filter.terms.length > 0 ? this.matchAll(filter.terms, columns) : null;
    const category = filter.categoryId === null ? null : (columns.categoryCodes.get(filter.categoryId) ?? -2);
    const wanted = filter.statuses.length > 0 ? new Set(filter.statuses.map((s) => STATUS_CODE.get(s))) : null;
    const end = page.offset + page.limit;
    const slots: number[] = [];
    let total = 0;
    for (const slot of order) {
      if (columns.deleted[slot] === 1 && !filter.includeDeleted) continue;
      if (category !== null && columns.category[slot] !== category) continue;
      if (wanted && !wanted.has(statuses[slot])) continue;
      if (hits && hits[slot] !== filter.terms.length) continue;
      if (total >= page.offset && total < end) slots.push(slot);
      total++;
    }
    return { total, page: slots.map((slot) => ({ entry: this.at(slot), status: DUES_STATUSES[statuses[slot] ?? 0] ?? 'never' })) };
  }

  /** Brings the index up to date with the database. */
  private refresh(): void {
    const now = this.readFingerprint();
    const before = this.fingerprint;
    if (before && sameFingerprint(before, now) && this.announced.size === 0) return;
    // Patch only what writers announced; anything else (another connection, a silent insert) rebuilds.
    const patchable =
      before !== null && before.dataVersion === now.dataVersion && this.announced.size > 0 && this.announced.size <= PATCH_LIMIT;
    if (patchable) this.patch([...this.announced]);
    else this.rebuild();
    this.announced.clear();
    this.fingerprint = now;
    this.generation++;
  }

  private at(slot: number): IndexedMember {
    const entry = this.entries[slot];
    if (!entry) throw new Error(`members index: slot ${slot} is empty`);
    return entry;
  }

  /** Per slot, how many of the terms its search text contains (each term counts once per member). */
  private matchAll(terms: readonly string[], { haystack, starts }: Columns): Uint8Array {
    const counts = new Uint8Array(this.entries.length);
    for (const term of terms) {
      let from = 0;
      let low = 0;
      for (let at = haystack.indexOf(term, from); at !== -1; at = haystack.indexOf(term, from)) {
        // The slot whose text holds position `at`: the last start <= at, searched after the previous hit.
        let high = this.entries.length;
        while (low < high) {
          const mid = (low + high) >>> 1;
          if ((starts[mid + 1] ?? Infinity) <= at) low = mid + 1;
          else high = mid;
        }
        counts[low] = (counts[low] ?? 0) + 1;
        low += 1;
        from = starts[low] ?? haystack.length;
      }
    }
    return counts;
  }

  private currentColumns(): Columns {
    if (this.columns) return this.columns;
    const count = this.entries.length;
    const starts = new Int32Array(count + 1);
    const deleted = new Uint8Array(count);
    const category = new Int32Array(count).fill(-1);
    const categoryCodes = new Map<string, number>();
    const texts = new Array<string>(count);
    let offset = 0;
    for (let slot = 0; slot < count; slot++) {
      const entry = this.entries[slot];
      const text = entry?.searchText ?? '';
      starts[slot] = offset;
      texts[slot] = text;
      offset += text.length + SEPARATOR.length;
      if (!entry) continue;
      if (entry.deleted) deleted[slot] = 1;
      if (entry.categoryId !== null) {
        let code = categoryCodes.get(entry.categoryId);
        if (code === undefined) categoryCodes.set(entry.categoryId, (code = categoryCodes.size));
        category[slot] = code;
      }
    }
    starts[count] = offset;
    this.columns = { haystack: texts.join(SEPARATOR) + SEPARATOR, starts, deleted, category, categoryCodes };
    return this.columns;
  }

  /** Each slot's status code (index in DUES_STATUSES), worked out again only for what changed. */
  private statusCodes(context: StatusContext): Uint8Array {
    let cache = this.statusCache;
    if (cache?.key !== context.key || cache.codes.length !== this.entries.length) {
      const codes = new Uint8Array(this.entries.length);
      if (cache?.key === context.key) codes.set(cache.codes.subarray(0, codes.length));
      else this.staleStatuses = null;
      cache = { key: context.key, codes };
      this.statusCache = cache;
    }
    const stale = this.staleStatuses ?? this.entries.keys();
    for (const slot of stale) {
      const entry = this.entries[slot];
      cache.codes[slot] = STATUS_CODE.get(entry ? context.rowStatus(entry.categoryId, entry.paidUntil) : 'never') ?? 0;
    }
    this.staleStatuses = new Set();
    return cache.codes;
  }

  private order(sort: IndexSort, direction: 'asc' | 'desc', context: StatusContext, statuses: Uint8Array): readonly number[] {
    if (isStatic(sort)) {
      const ascending = this.staticOrder(sort);
      return direction === 'asc' ? ascending : this.cached(`${sort}|desc`, String(this.generation), () => [...ascending].reverse());
    }
    const names = context.categoryNames;
    const keyOf: Record<Exclude<IndexSort, StaticSort>, (e: IndexedMember, slot: number) => string | number | null> = {
      city: (e) => (e.cityKey === LAST ? null : e.cityKey),
      category: (e) => (e.categoryId === null ? null : normalizeText(names.get(e.categoryId) ?? '')),
      status: (_e, slot) => STATUS_RANK[DUES_STATUSES[statuses[slot] ?? 0] ?? 'never'],
      paidUntil: (e) => e.paidUntil,
    };
    return this.cached(`${sort}|${direction}`, `${this.generation}|${context.key}`, () => this.bucketed(keyOf[sort], direction));
  }

  private cached(name: string, stamp: string, build: () => readonly number[]): readonly number[] {
    const hit = this.derived.get(name);
    if (hit?.stamp === stamp) return hit.order;
    const order = build();
    this.derived.set(name, { stamp, order });
    return order;
  }

  /** The name order, stably grouped by key: one pass and a sort of the distinct keys, instead of a full sort. */
  private bucketed(keyOf: (e: IndexedMember, slot: number) => string | number | null, direction: 'asc' | 'desc'): number[] {
    const buckets = new Map<string | number, number[]>();
    const empty: number[] = [];
    for (const slot of this.staticOrder('name')) {
      const key = keyOf(this.at(slot), slot);
      if (key === null) empty.push(slot);
      else {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(slot);
        else buckets.set(key, [slot]);
      }
    }
    const keys = [...buckets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (direction === 'desc') keys.reverse();
    return [...keys.flatMap((k) => buckets.get(k) ?? []), ...empty];
  }

  private staticOrder(sort: StaticSort): number[] {
    let order = this.staticOrders.get(sort);
    if (!order) {
      const compare = STATIC_ORDERS[sort];
      order = [...this.slotById.values()].filter((slot) => this.entries[slot]).sort((a, b) => compare(this.at(a), this.at(b)));
      this.staticOrders.set(sort, order);
    }
    return order;
  }

  private readonly cityKey = (city: string): string => {
    let key = this.cityKeys.get(city);
    if (key === undefined) this.cityKeys.set(city, (key = orLast(normalizeText(city))));
    return key;
  };

  /** Rows are never deleted from members or payments, so a new row always raises its table's max rowid. */
  private readFingerprint(): Fingerprint {
    const row = this.core.db
      .prepare('select (select max(rowid) from members) as members, (select max(rowid) from payments) as payments')
      .get() as Omit<Fingerprint, 'dataVersion'>;
    return { ...row, dataVersion: this.core.db.pragma('data_version', { simple: true }) as number };
  }

  private rebuild(): void {
    const rows = this.core.db.prepare(`select ${LIST_COLUMNS} from members`).all() as MemberListRow[];
    const paidUntil = paidUntilByMember(this.core.db);
    this.entries = rows.map((row) => toEntry(row, paidUntil.get(row.id) ?? null, this.cityKey));
    this.slotById.clear();
    rows.forEach((row, slot) => this.slotById.set(row.id, slot));
    this.staticOrders.clear();
    this.columns = null;
    this.staleStatuses = null;
  }

  /** Reads the announced members again and moves them to their new place in each kept order. */
  private patch(ids: string[]): void {
    const rows = this.core.db
      .prepare(`select ${LIST_COLUMNS} from members where id in (select value from json_each(?))`)
      .all(JSON.stringify(ids)) as MemberListRow[];
    const paidUntil = paidUntilByMember(this.core.db, ids);
    const fresh = new Map(rows.map((row) => [row.id, row]));
    const touched = new Set<number>();
    for (const id of ids) {
      const row = fresh.get(id);
      const known = this.slotById.get(id);
      if (!row && known === undefined) continue;
      const slot = known ?? this.entries.length;
      const before = this.entries[slot];
      const after = row ? toEntry(row, paidUntil.get(id) ?? null, this.cityKey) : null;
      this.entries[slot] = after;
      this.slotById.set(id, slot);
      touched.add(slot);
      // A payment only moves paidUntil: the search columns stay valid.
      const sameColumns = before && after && before.searchText === after.searchText && before.deleted === after.deleted && before.categoryId === after.categoryId;
      if (!sameColumns) this.columns = null;
    }
    for (const [sort, order] of this.staticOrders) {
      const compare = STATIC_ORDERS[sort];
      const kept = order.filter((slot) => !touched.has(slot));
      for (const slot of touched) {
        const entry = this.entries[slot];
        if (entry) kept.splice(insertionPoint(kept, (other) => compare(this.at(other), entry) < 0), 0, slot);
      }
      this.staticOrders.set(sort, kept);
    }
    for (const slot of touched) this.staleStatuses?.add(slot);
  }
}

/** The first index whose element is not before the new one (binary search over a sorted array). */
function insertionPoint(sorted: readonly number[], before: (slot: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(sorted[mid] as number)) low = mid + 1;
    else high = mid;
  }
  return low;
}

const indexes = new WeakMap<Core, MemberIndex>();

/** The core's members index, created on first use. */
export function memberIndex(core: Core): MemberIndex {
  let index = indexes.get(core);
  if (!index) {
    index = new MemberIndex(core);
    indexes.set(core, index);
  }
  return index;
}
