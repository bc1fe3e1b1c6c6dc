import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { ChannelsService } from './channels-service';
import { testChannel } from './deliver';

export function channelsHandlers(core: Core): HandlersFor<'channels.list' | 'channels.add' | 'channels.update' | 'channels.remove' | 'channels.test'> {
  const channels = new ChannelsService(core);
  return {
    'channels.list': () => channels.list(),
    'channels.add': (input) => channels.add(input),
    'channels.update': (input) => channels.update(input),
    'channels.remove': ({ id }) => {
      channels.remove(id);
      return null;
    },
    'channels.test': ({ id }) => testChannel(core, id),
  };
}
