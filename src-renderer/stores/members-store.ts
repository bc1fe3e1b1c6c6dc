import { create } from 'zustand';
import type {
  ApiError,
  Category,
  DuesStatus,
  MemberDetail,
  MemberRow,
  MemberSort,
  PaymentInput,
  Result,
} from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';

/** Rows fetched per request while scrolling: a few screens at once, small enough to answer instantly. */
export const PAGE_SIZE = 200;

export interface MemberFilters {
  query: string;
  categoryId: string | null;
  statuses: DuesStatus[];
  includeDeleted: boolean;
  sort: MemberSort;
  direction: 'asc' | 'desc';
}

const DEFAULT_FILTERS: MemberFilters = {
  query: '',
  categoryId: null,
  statuses: [],
  includeDeleted: false,
  sort: 'name',
  direction: 'asc',
};

/** True when nothing narrows the list: a total of 0 then means the register is empty. */
export const isUnfiltered = (f: MemberFilters): boolean =>
  f.query.trim() === '' && f.categoryId === null && f.statuses.length === 0 && !f.includeDeleted;

interface MembersState {
  filters: MemberFilters;
  /** Matching members; null until the first answer. */
  total: number | null;
  /** Fetched rows by page index, all for the current filters. */
  pages: ReadonlyMap<number, MemberRow[]>;
  categories: Category[];
  detail: MemberDetail | null;
  detailError: ApiError | null;

  setFilters: (patch: Partial<MemberFilters>) => void;
  /** Same column: flips the direction; another column: sorts by it, ascending. */
  toggleSort: (sort: MemberSort) => void;
  /** The list shows rows first..last (indexes): fetch the pages they fall in that are missing. */
  showRows: (first: number, last: number) => void;
  /** The list is on screen: fetches it now, then follows changes until the returned function is called. */
  watchList: () => () => void;
  loadCategories: () => Promise<void>;
  loadDetail: (id: string) => Promise<void>;

  /** Actions on the open member: errors are shown as toasts; each resolves to whether it was done. */
  deleteMember: (id: string) => Promise<boolean>;
  restoreMember: (id: string) => Promise<boolean>;
  eraseMember: (id: string) => Promise<boolean>;
  /** Resolves to the core's refusal, left to the form to show next to the field concerned; null when recorded. */
  recordPayment: (payment: PaymentInput) => Promise<ApiError | null>;
  reversePayment: (memberId: string, paymentId: string, reason: string) => Promise<boolean>;
}

/** A call whose failure is shown to the user: the value, or null. */
async function shown<T>(result: Promise<Result<T>>): Promise<T | null> {
  const answer = await result;
  if (answer.ok) return answer.value;
  toastError(answer.error);
  return null;
}

const pageRange = (first: number, last: number): number[] => {
  const pages: number[] = [];
  for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) pages.push(page);
  return pages;
};

export const useMembersStore = create<MembersState>((set, get) => {
  // Every change of filters (or data) starts a generation: answers from an older one are dropped, and the rows on
  // screen stay until the new generation's first answer replaces them all at once (no flash of empty rows).
  let generation = 0;
  let shownGeneration = 0;
  const pending = new Set<number>();
  let visible = { first: 0, last: 0 };
  let watchers = 0;
  let detailRequest = 0;

  async function loadPages(pages: number[]): Promise<void> {
    const wanted = pages.filter((page) => !pending.has(page));
    if (wanted.length === 0) return;
    const ours = generation;
    for (const page of wanted) pending.add(page);
    const filters = get().filters;
    const answers = await Promise.all(
      wanted.map((page) => call('members.search', { ...filters, offset: page * PAGE_SIZE, limit: PAGE_SIZE })),
    );
    if (ours !== generation) return;
    for (const page of wanted) pending.delete(page);
    const next = new Map(shownGeneration === ours ? get().pages : []);
    let total = get().total;
    for (const [index, answer] of answers.entries()) {
      if (!answer.ok) {
        toastError(answer.error);
        return;
      }
      next.set(wanted[index] ?? 0, answer.value.rows);
      total = answer.value.total;
    }
    shownGeneration = ours;
    set({ pages: next, total });
  }

  /** Starts a new generation and fetches the first page plus the ones on screen. */
  function reload(keepVisible: boolean): void {
    generation++;
    pending.clear();
    if (!keepVisible) visible = { first: 0, last: 0 };
    void loadPages([...new Set([0, ...pageRange(visible.first, visible.last)])]);
  }

  // Members or payments changed, here or in another window: the list and the open member follow.
  onEvent('members.changed', ({ ids }) => {
    if (watchers > 0) reload(true);
    const open = get().detail?.member.id;
    if (open && (ids.length === 0 || ids.includes(open))) void get().loadDetail(open);
  });

  /** Runs an action on the open member, then shows its new state without waiting for the event. */
  async function act<T>(memberId: string, action: Promise<T | null>): Promise<boolean> {
    const value = await action;
    if (value === null) return false;
    await get().loadDetail(memberId);
    return true;
  }

  return {
    filters: DEFAULT_FILTERS,
    total: null,
    pages: new Map(),
    categories: [],
    detail: null,
    detailError: null,

    setFilters: (patch) => {
      set({ filters: { ...get().filters, ...patch } });
      reload(false);
    },
    toggleSort: (sort) => {
      const { filters } = get();
      const direction = filters.sort === sort && filters.direction === 'asc' ? 'desc' : 'asc';
      get().setFilters({ sort, direction });
    },
    showRows: (first, last) => {
      visible = { first, last };
      const loaded = get().pages;
      void loadPages(pageRange(first, last).filter((page) => !loaded.has(page) || shownGeneration !== generation));
    },
    watchList: () => {
      watchers++;
      reload(true);
      return () => {
        watchers--;
      };
    },

    loadCategories: async () => {
      const categories = await shown(call('categories.list', { includeDeleted: false }));
      if (categories) set({ categories });
    },

    loadDetail: async (id) => {
      const request = ++detailRequest;
      if (get().detail?.member.id !== id) set({ detail: null, detailError: null });
      const result = await call('members.get', { id });
      if (request !== detailRequest) return;
      if (result.ok) set({ detail: result.value, detailError: null });
      else set({ detail: null, detailError: result.error });
    },

    deleteMember: (id) => act(id, shown(call('members.delete', { id }))),
    restoreMember: (id) => act(id, shown(call('members.restore', { id }))),
    eraseMember: (id) => act(id, shown(call('members.erase', { id }))),
    recordPayment: async (payment) => {
      const result = await call('payments.record', payment);
      if (!result.ok) return result.error;
      await get().loadDetail(payment.memberId);
      return null;
    },
    reversePayment: (memberId, paymentId, reason) => act(memberId, shown(call('payments.reverse', { paymentId, reason }))),
  };
});
