import { create } from 'zustand';
import type {
  ApiError,
  BackupJobSummary,
  BackupProgress,
  BackupRepository,
  BackupRun,
  BackupRunSummary,
  EngineInfo,
  RecoverySheet,
  RepositoryStatus,
  Result,
} from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';

/** A repository's status as last asked of restic: opening it can take a second, so it is asked on its own. */
export type StatusState = { kind: 'checking' } | { kind: 'done'; status: RepositoryStatus } | { kind: 'failed'; error: ApiError };

interface BackupsState {
  engine: EngineInfo | null;
  repositories: BackupRepository[] | null;
  statuses: Record<string, StatusState>;
  /** Repositories being asked again: the last answer stays on screen meanwhile. */
  checking: Record<string, boolean>;
  jobs: BackupJobSummary[] | null;
  /** Backups, restores and drills running now (from any window or the scheduler). */
  running: BackupRunSummary[] | null;
  /** The last progress pushed for each running run. */
  progress: Record<string, BackupProgress>;
  /** Runs whose detail is on screen (a run page, an expanded history row, a restore in progress). */
  runs: Record<string, BackupRun>;
  /** Recovery sheets received in this window, until confirmed saved: the password is shown from here. */
  sheets: Record<string, RecoverySheet>;

  /** Engine, repositories (then each one's status), jobs and running operations. */
  loadOverview: () => Promise<void>;
  loadEngine: () => Promise<void>;
  loadRepositories: () => Promise<void>;
  loadStatus: (id: string) => Promise<void>;
  loadJobs: () => Promise<void>;
  loadRunning: () => Promise<void>;
  loadRun: (id: string) => Promise<BackupRun | null>;

  /** Actions: errors are shown as toasts; each resolves to what it made, or null/false. */
  setResticPath: (path: string | null) => Promise<EngineInfo | null>;
  unlock: (id: string) => Promise<boolean>;
  keepSheet: (sheet: RecoverySheet) => void;
  confirmRecoverySaved: (id: string) => Promise<boolean>;
  deleteRepository: (id: string) => Promise<boolean>;
  /** Shares the repository's password with the team, or stops sharing it. */
  sharePassword: (id: string, shared: boolean) => Promise<boolean>;
  startBackup: (jobId: string) => Promise<BackupRunSummary | null>;
  startDrill: (jobId: string) => Promise<BackupRunSummary | null>;
  cancel: (run: Pick<BackupRunSummary, 'id' | 'kind'>) => Promise<boolean>;
  deleteJob: (id: string) => Promise<boolean>;
  /** While the overview is open, repositories' statuses follow changes; the returned function stops that. */
  watchStatuses: () => () => void;
  /** Listeners for lists a page holds itself (a job's runs and snapshots): called on every `backups.changed`. */
  subscribe: (listener: ChangeListener) => () => void;
}

export interface BackupsChange {
  repositoryIds: string[];
  jobIds: string[];
  runId: string | null;
}
type ChangeListener = (change: BackupsChange) => void;

/** A call whose failure is shown to the user: the value, or null. */
export async function shown<T>(result: Promise<Result<T>>): Promise<T | null> {
  const answer = await result;
  if (answer.ok) return answer.value;
  toastError(answer.error);
  return null;
}

export const useBackupsStore = create<BackupsState>((set, get) => {
  const listeners = new Set<ChangeListener>();
  /** The latest status question per repository: a slower, older answer never replaces a newer one. */
  const statusRequests = new Map<string, number>();
  let statusWatchers = 0;

  // Something changed, here, in another window or in the scheduler: what is on screen follows.
  onEvent('backups.changed', (change) => {
    const state = get();
    if (state.repositories) void state.loadRepositories();
    if (state.jobs) void state.loadJobs();
    // A repository's status is asked again while the overview shows it, once nothing runs in it: restic's locks come
    // and go while a run (or another page's restic call) works, and a lock that vanishes mid-question stalls restic.
    void state.loadRunning().then(() => {
      if (statusWatchers === 0) return;
      const busy = new Set((get().running ?? []).map((run) => run.repositoryId));
      for (const id of change.repositoryIds) if (get().statuses[id] && !busy.has(id)) void get().loadStatus(id);
    });
    if (change.runId && state.runs[change.runId]) void state.loadRun(change.runId);
    for (const listener of listeners) listener(change);
  });
  onEvent('backups.progress', (progress) => {
    set({ progress: { ...get().progress, [progress.runId]: progress } });
    // A run seen for the first time (started elsewhere): the running list learns of it.
    if (!get().running?.some((run) => run.id === progress.runId)) void get().loadRunning();
  });

  const removeSheet = (id: string) => {
    const { [id]: _gone, ...sheets } = get().sheets;
    set({ sheets });
  };

  return {
    engine: null,
    repositories: null,
    statuses: {},
    checking: {},
    jobs: null,
    running: null,
    progress: {},
    runs: {},
    sheets: {},

    loadOverview: async () => {
      const known = new Set(Object.keys(get().statuses));
      await Promise.all([get().loadEngine(), get().loadRepositories(), get().loadJobs(), get().loadRunning()]);
      // Those checked on an earlier visit are checked again: a backup may have run since.
      for (const repository of get().repositories ?? []) if (known.has(repository.id)) void get().loadStatus(repository.id);
    },

    loadEngine: async () => {
      const engine = await shown(call('backups.engine', {}));
      if (engine) set({ engine });
    },

    loadRepositories: async () => {
      const repositories = await shown(call('backups.repositories.list', {}));
      if (!repositories) return;
      set({ repositories });
      for (const repository of repositories) if (!get().statuses[repository.id]) void get().loadStatus(repository.id);
    },

    loadStatus: async (id) => {
      const request = (statusRequests.get(id) ?? 0) + 1;
      statusRequests.set(id, request);
      if (!get().statuses[id]) set({ statuses: { ...get().statuses, [id]: { kind: 'checking' } } });
      set({ checking: { ...get().checking, [id]: true } });
      const result = await call('backups.repositories.status', { id });
      if (statusRequests.get(id) !== request) return;
      set({
        statuses: { ...get().statuses, [id]: result.ok ? { kind: 'done', status: result.value } : { kind: 'failed', error: result.error } },
        checking: { ...get().checking, [id]: false },
      });
    },

    loadJobs: async () => {
      const jobs = await shown(call('backups.jobs.list', {}));
      if (jobs) set({ jobs });
    },

    loadRunning: async () => {
      const result = await call('backups.runs.list', { status: 'running' });
      if (!result.ok) return;
      const running = result.value;
      // Progress of runs that ended is dropped: their final figures are in the run itself.
      const progress = Object.fromEntries(Object.entries(get().progress).filter(([runId]) => running.some((run) => run.id === runId)));
      set({ running, progress });
    },

    loadRun: async (id) => {
      const result = await call('backups.runs.get', { id });
      if (!result.ok) {
        toastError(result.error);
        return null;
      }
      set({ runs: { ...get().runs, [id]: result.value } });
      return result.value;
    },

    setResticPath: async (path) => {
      const engine = await shown(call('backups.setResticPath', { path }));
      if (!engine) return null;
      set({ engine, statuses: {} });
      void get().loadRepositories();
      return engine;
    },

    unlock: async (id) => {
      const status = await shown(call('backups.repositories.unlock', { id }));
      if (!status) return false;
      set({ statuses: { ...get().statuses, [id]: { kind: 'done', status } } });
      return true;
    },

    keepSheet: (sheet) => set({ sheets: { ...get().sheets, [sheet.repositoryId]: sheet } }),

    confirmRecoverySaved: async (id) => {
      const repository = await shown(call('backups.repositories.confirmRecoverySaved', { id }));
      if (!repository) return false;
      removeSheet(id);
      void get().loadRepositories();
      return true;
    },

    deleteRepository: async (id) => {
      const deleted = await shown(call('backups.repositories.delete', { id }));
      if (!deleted) return false;
      removeSheet(id);
      void get().loadRepositories();
      return true;
    },

    sharePassword: async (id, shared) => {
      const repository = await shown(call('backups.repositories.sharePassword', { id, shared }));
      if (!repository) return false;
      set({ repositories: (get().repositories ?? []).map((r) => (r.id === id ? repository : r)) });
      return true;
    },

    startBackup: async (jobId) => {
      const run = await shown(call('backups.runs.start', { jobId }));
      if (run) set({ running: [...(get().running ?? []).filter((r) => r.id !== run.id), run] });
      return run;
    },

    startDrill: async (jobId) => {
      const run = await shown(call('backups.drill.run', { jobId, serverId: null }));
      if (run) set({ running: [...(get().running ?? []).filter((r) => r.id !== run.id), run] });
      return run;
    },

    cancel: async (run) => {
      const cancelled = await shown(run.kind === 'restore' ? call('backups.restore.cancel', { id: run.id }) : call('backups.runs.cancel', { id: run.id }));
      return cancelled !== null;
    },

    deleteJob: async (id) => {
      const deleted = await shown(call('backups.jobs.delete', { id }));
      if (!deleted) return false;
      if (get().jobs) void get().loadJobs();
      return true;
    },

    watchStatuses: () => {
      statusWatchers++;
      return () => {
        statusWatchers--;
      };
    },

    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
});
