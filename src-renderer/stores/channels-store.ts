import { create } from 'zustand';
import type { Channel, ChannelAdd, ChannelTestResult, ChannelUpdate, Result } from '../../src-main/contract';
import { call } from '../api/client';
import { toastError } from '../api/errors';

interface ChannelsState {
  /** Null until the first answer. */
  channels: Channel[] | null;
  /** Channels whose test message is on its way. */
  testing: ReadonlySet<string>;

  load: () => Promise<void>;
  /** The form shows refusals under its fields: these two hand back the call's result. */
  add: (input: ChannelAdd) => Promise<Result<Channel>>;
  update: (input: ChannelUpdate) => Promise<Result<Channel>>;
  /** Errors are shown as toasts; resolves to whether it was removed. */
  remove: (id: string) => Promise<boolean>;
  /** Null when the call itself failed (shown as a toast); else the test's outcome, the channel updated in the list. */
  test: (id: string) => Promise<ChannelTestResult | null>;
}

export const useChannelsStore = create<ChannelsState>((set, get) => {
  /** The latest list question: a slower, older answer never replaces a newer one. */
  let listRequest = 0;

  /** One channel as the core now sees it, in place. */
  const replace = (channel: Channel) => set({ channels: (get().channels ?? []).map((c) => (c.id === channel.id ? channel : c)) });

  return {
    channels: null,
    testing: new Set(),

    load: async () => {
      const request = ++listRequest;
      const result = await call('channels.list', {});
      if (request !== listRequest) return;
      if (result.ok) set({ channels: result.value });
      else toastError(result.error);
    },

    add: async (input) => {
      const result = await call('channels.add', input);
      if (result.ok) await get().load();
      return result;
    },

    update: async (input) => {
      const result = await call('channels.update', input);
      if (result.ok) await get().load();
      return result;
    },

    remove: async (id) => {
      const result = await call('channels.remove', { id });
      if (!result.ok) {
        toastError(result.error);
        return false;
      }
      await get().load();
      return true;
    },

    test: async (id) => {
      set({ testing: new Set(get().testing).add(id) });
      const result = await call('channels.test', { id });
      const testing = new Set(get().testing);
      testing.delete(id);
      set({ testing });
      if (!result.ok) {
        toastError(result.error);
        return null;
      }
      replace(result.value.channel);
      return result.value;
    },
  };
});
