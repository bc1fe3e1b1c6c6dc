import { create } from 'zustand';
import type { ApiError, Settings, SettingsPatch } from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';
import { applyLanguage } from '../i18n';

interface SettingsState {
  settings: Settings | null;
  /** Set when loading failed, so the app can say why instead of spinning. */
  loadError: ApiError | null;
  load: () => Promise<void>;
  update: (patch: SettingsPatch) => Promise<boolean>;
  completeSetup: (args: { associationName: string; language: 'fr' | 'en'; volunteerName?: string }) => Promise<boolean>;
}

export const useSettingsStore = create<SettingsState>((set) => {
  const accept = (settings: Settings) => {
    applyLanguage(settings.language);
    set({ settings, loadError: null });
  };
  // Another window or the CLI-side host may change settings: follow them.
  onEvent('settings.changed', accept);

  return {
    settings: null,
    loadError: null,
    load: async () => {
      const result = await call('settings.get', {});
      if (result.ok) accept(result.value);
      else set({ loadError: result.error });
    },
    update: async (patch) => {
      const result = await call('settings.update', patch);
      if (!result.ok) toastError(result.error);
      else accept(result.value);
      return result.ok;
    },
    completeSetup: async (args) => {
      const result = await call('settings.completeSetup', args);
      if (!result.ok) toastError(result.error);
      else accept(result.value);
      return result.ok;
    },
  };
});
