import { appHandlers } from './app/app-handlers';
import type { Core } from './core';
import type { Handlers } from './handler-types';
import { settingsHandlers } from './settings/settings-handlers';

/** Every domain's handlers merged: the type checker fails here if a contract method has no handler. */
export const createHandlers = (core: Core): Handlers => ({
  ...appHandlers(core),
  ...settingsHandlers(core),
});
