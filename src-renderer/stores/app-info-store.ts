import { create } from 'zustand';
import type { AppInfo } from '../../src-main/contract';
import { call } from '../api/client';
import { toastError } from '../api/errors';

interface AppInfoState {
  info: AppInfo | null;
  load: () => Promise<void>;
}

export const useAppInfoStore = create<AppInfoState>((set) => ({
  info: null,
  load: async () => {
    const result = await call('app.info', {});
    if (result.ok) set({ info: result.value });
    else toastError(result.error);
  },
}));
