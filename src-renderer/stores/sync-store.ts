import { create } from 'zustand';
import type { ApiError, ArgsOf, Result, SyncConflict, SyncStatus, TeamKeySheet } from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';

interface SyncState {
  /** This computer's place in a team, as last told (by a call or the `sync.changed` event). */
  status: SyncStatus | null;
  loadError: ApiError | null;
  /** The team key sheet, until confirmed: kept here so leaving the page and coming back shows it at once. */
  sheet: TeamKeySheet | null;
  sheetError: ApiError | null;
  /** Null until a page asks for them; then they follow every sync and every change to members. */
  conflicts: SyncConflict[] | null;
  /** "Sync now" asked from this window and not answered yet. */
  syncing: boolean;

  load: () => Promise<void>;
  loadSheet: () => Promise<void>;
  loadConflicts: () => Promise<void>;
  /** The form shows errors under its fields: these two hand back the call's result. */
  create: (input: { folder: string; keyFile: string | null }) => Promise<Result<TeamKeySheet>>;
  join: (input: ArgsOf<'sync.join'>) => Promise<Result<SyncStatus>>;
  confirmSheet: () => Promise<boolean>;
  syncNow: () => Promise<void>;
  takeReceiptBook: () => Promise<boolean>;
}

export const useSyncStore = create<SyncState>((set, get) => {
  /** The latest conflicts question: a slower, older answer never replaces a newer one. */
  let conflictsRequest = 0;

  // A sync here (the scheduler, another window, the button) or a change that may resolve a conflict.
  onEvent('sync.changed', (status) => {
    set({ status, loadError: null });
    if (get().conflicts) void get().loadConflicts();
  });
  onEvent('members.changed', () => {
    if (get().conflicts && get().status?.inTeam) void get().loadConflicts();
  });

  return {
    status: null,
    loadError: null,
    sheet: null,
    sheetError: null,
    conflicts: null,
    syncing: false,

    load: async () => {
      const result = await call('sync.status', {});
      if (result.ok) set({ status: result.value, loadError: null });
      else set({ loadError: result.error });
    },

    loadSheet: async () => {
      const result = await call('sync.sheet', {});
      if (result.ok) set({ sheet: result.value, sheetError: null });
      else set({ sheetError: result.error });
    },

    loadConflicts: async () => {
      const request = ++conflictsRequest;
      const result = await call('sync.conflicts', {});
      if (request !== conflictsRequest) return;
      if (result.ok) set({ conflicts: result.value });
      else toastError(result.error);
    },

    create: async (input) => {
      const result = await call('sync.create', input);
      if (result.ok) {
        set({ sheet: result.value, sheetError: null });
        await get().load();
      }
      return result;
    },

    join: async (input) => {
      const result = await call('sync.join', input);
      if (result.ok) set({ status: result.value, loadError: null, sheet: null });
      return result;
    },

    confirmSheet: async () => {
      const result = await call('sync.confirmSheet', {});
      if (!result.ok) {
        toastError(result.error);
        return false;
      }
      set({ status: result.value, sheet: null, sheetError: null });
      return true;
    },

    takeReceiptBook: async () => {
      const result = await call('sync.takeReceiptBook', {});
      if (!result.ok) {
        toastError(result.error);
        return false;
      }
      set({ status: result.value });
      return true;
    },

    syncNow: async () => {
      if (get().syncing) return;
      set({ syncing: true });
      const result = await call('sync.now', {});
      set({ syncing: false });
      // A folder out of reach is not a failure to shout about: the status says it, calmly.
      if (result.ok) set({ status: result.value });
      else toastError(result.error);
      if (get().conflicts) void get().loadConflicts();
    },
  };
});
