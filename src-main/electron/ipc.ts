import type { BrowserWindow } from 'electron';
import { ipcMain } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../contract/channels';
import type { Core } from '../core/core';
import { dispatch } from '../core/dispatch';
import type { Handlers } from '../core/handler-types';

/** Every renderer call goes through `dispatch`, which validates it against the contract before the core sees it. */
export function registerIpc(core: Core, handlers: Handlers, window: () => BrowserWindow | null): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, args: unknown) => {
    // Only our own window's top frame may call in.
    if (event.senderFrame !== window()?.webContents.mainFrame) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted from the main window only.' } };
    }
    return dispatch(handlers, method, args);
  });
  core.events.onAny((name, payload) => window()?.webContents.send(EVENT_CHANNEL, name, payload));
}
