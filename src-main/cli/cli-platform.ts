import type { Platform } from '../core/platform';
import { CoreError } from '../core/errors';
import { APP_VERSION } from '../core/version';

/** The CLI and the browser host run under plain Node; links are opened by the browser itself there. */
export const nodePlatform = (face: 'cli' | 'host'): Platform => ({
  face,
  appVersion: APP_VERSION,
  runtime: { name: 'node', version: process.versions.node },
  openExternal: () => Promise.reject(new CoreError('unsupported_here', 'Opening links is done by the browser here.')),
});
