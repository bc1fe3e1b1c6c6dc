import { channelsHandlers } from './alerts/channels-handlers';
import { appHandlers } from './app/app-handlers';
import { backupsHandlers } from './backups/backups-handlers';
import type { Core } from './core';
import { duesHandlers } from './dues/dues-handlers';
import type { Handlers } from './handler-types';
import { healthHandlers } from './health/health-handlers';
import { membersHandlers } from './members/members-handlers';
import { metricsHandlers } from './metrics/metrics-handlers';
import { settingsHandlers } from './settings/settings-handlers';
import { syncHandlers } from './sync/sync-handlers';
import { transferHandlers } from './transfer/transfer-handlers';

/** Every domain's handlers merged: the type checker fails here if a contract method has no handler. */
export const createHandlers = (core: Core): Handlers => ({
  ...appHandlers(core),
  ...settingsHandlers(core),
  ...membersHandlers(core),
  ...duesHandlers(core),
  ...transferHandlers(core),
  ...healthHandlers(core),
  ...backupsHandlers(core),
  ...metricsHandlers(core),
  ...syncHandlers(core),
  ...channelsHandlers(core),
});
