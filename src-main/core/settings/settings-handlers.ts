import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';

export const settingsHandlers = (core: Core): HandlersFor<'settings.get' | 'settings.update' | 'settings.completeSetup'> => ({
  'settings.get': () => core.settings.get(),
  'settings.update': (patch) => core.settings.update(patch),
  'settings.completeSetup': ({ associationName, language, volunteerName }) =>
    core.settings.update({ associationName, language, ...(volunteerName === undefined ? {} : { volunteerName }) }),
});
