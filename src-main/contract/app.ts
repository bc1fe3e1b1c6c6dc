import { z } from 'zod';
import { event, method } from './define';
import { base64, text } from './fields';

export type Face = 'electron' | 'host';

export interface AppInfo {
  appVersion: string;
  face: Face;
  runtime: { name: 'electron' | 'node'; version: string };
  nodeVersion: string;
  sqliteVersion: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
}

/** Links the app may open in the system browser; anything else is refused. */
export const EXTERNAL_LINK_PREFIXES = ['https://chatons.org/', 'https://www.helloasso.com/', 'https://paheko.cloud/'];

export const appMethods = {
  'app.info': method<AppInfo>()(z.object({}).strict()),
  /** An allowlisted https page, or a mailto: link (the mail client, e.g. reminders in BCC). */
  'app.openExternal': method<null>()(
    z.object({ url: z.url({ protocol: /^(https|mailto)$/ }).max(100_000) }).strict(),
  ),
  /** Electron: a save dialog, then the file is written; elsewhere the page downloads the file itself. */
  'app.saveFile': method<{ path: string | null }>()(z.object({ fileName: text(255).min(1), base64 }).strict()),
  /** Shows a notification the renderer already translated: lets an admin check that alerts will reach them. */
  'app.notify': method<{ delivered: 'native' | 'page' }>()(
    z.object({ title: z.string().trim().min(1).max(200), body: z.string().max(1000) }).strict(),
  ),
};

export interface AppNotification {
  title: string;
  body: string;
}

export const appEvents = {
  /** The face has no native notifications: the page shows this one (Web Notification or toast). */
  'app.notification': event<AppNotification>(),
};
