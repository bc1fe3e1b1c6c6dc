import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../contract/channels';
import type { PeloteBridge } from '../contract/bridge';

/** The renderer's only door to main: one call, one event subscription. `ipcRenderer` itself never leaks. */
const bridge: PeloteBridge = {
  invoke: (method, args) => ipcRenderer.invoke(INVOKE_CHANNEL, method, args),
  on: (listener) => {
    const wrapped = (_event: Electron.IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('pelote', bridge);
