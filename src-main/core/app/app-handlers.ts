import { EXTERNAL_LINK_PREFIXES } from '../../contract/app';
import type { Core } from '../core';
import { inspectSchema } from '../db/migrate';
import { migrations } from '../db/migrations';
import { sqliteVersion } from '../db/open';
import { CoreError } from '../errors';
import type { HandlersFor } from '../handler-types';

export const appHandlers = (core: Core): HandlersFor<'app.info' | 'app.openExternal' | 'app.notify' | 'app.saveFile'> => ({
  'app.info': () => ({
    appVersion: core.platform.appVersion,
    face: core.platform.face === 'electron' ? 'electron' : 'host',
    runtime: core.platform.runtime,
    nodeVersion: process.versions.node,
    sqliteVersion: sqliteVersion(core.db),
    dataDir: core.dataDir,
    dbPath: core.dbPath,
    schemaVersion: inspectSchema(core.db, migrations).version,
  }),
  'app.openExternal': async ({ url }) => {
    const allowed = url.startsWith('mailto:') || EXTERNAL_LINK_PREFIXES.some((prefix) => url.startsWith(prefix));
    if (!allowed) {
      throw new CoreError('link_not_allowed', `Links to ${url} are not allowed.`, { url });
    }
    await core.platform.openExternal(url);
    return null;
  },
  'app.saveFile': async ({ fileName, base64 }) => {
    if (!core.platform.saveFile) throw new CoreError('unsupported_here', 'Saving files is done by the browser here.');
    return { path: await core.platform.saveFile(fileName, Buffer.from(base64, 'base64')) };
  },
  'app.notify': ({ title, body }) => {
    if (core.platform.notify) {
      core.platform.notify(title, body);
      return { delivered: 'native' };
    }
    core.events.emit('app.notification', { title, body });
    return { delivered: 'page' };
  },
});
