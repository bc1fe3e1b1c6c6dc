import { create } from 'zustand';
import type { ArgsOf, Category, CategoryInput, DuesDashboard, Payment } from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';

interface DuesState {
  year: number;
  dashboard: DuesDashboard | null;
  categories: Category[] | null;
  setYear: (year: number) => void;
  loadDashboard: () => Promise<void>;
  loadCategories: () => Promise<void>;
  /** Creates when id is null; returns false (after a toast) when the core refused. */
  saveCategory: (id: string | null, category: CategoryInput) => Promise<boolean>;
  deleteCategory: (id: string) => Promise<boolean>;
  recordRenewal: (args: ArgsOf<'payments.recordBulk'>) => Promise<Payment[] | null>;
}

export const useDuesStore = create<DuesState>((set, get) => {
  // Payments and members change from other screens and windows: keep the figures live once loaded.
  onEvent('members.changed', () => {
    if (get().dashboard) void get().loadDashboard();
    if (get().categories) void get().loadCategories();
  });

  return {
    year: new Date().getFullYear(),
    dashboard: null,
    categories: null,
    setYear: (year) => {
      set({ year });
      void get().loadDashboard();
    },
    loadDashboard: async () => {
      const year = get().year;
      const result = await call('dues.dashboard', { year });
      // A slower answer for a year the user has already left must not overwrite the current one.
      if (get().year !== year) return;
      if (result.ok) set({ dashboard: result.value });
      else toastError(result.error);
    },
    loadCategories: async () => {
      const result = await call('categories.list', {});
      if (result.ok) set({ categories: result.value });
      else toastError(result.error);
    },
    saveCategory: async (id, category) => {
      const result = id === null ? await call('categories.create', { category }) : await call('categories.update', { id, category });
      if (!result.ok) toastError(result.error);
      else await get().loadCategories();
      return result.ok;
    },
    deleteCategory: async (id) => {
      const result = await call('categories.delete', { id });
      if (!result.ok) toastError(result.error);
      else await get().loadCategories();
      return result.ok;
    },
    recordRenewal: async (args) => {
      const result = await call('payments.recordBulk', args);
      if (!result.ok) {
        toastError(result.error);
        return null;
      }
      await get().loadDashboard();
      return result.value;
    },
  };
});
