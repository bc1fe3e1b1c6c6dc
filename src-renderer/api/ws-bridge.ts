import type { PeloteBridge } from '../../src-main/contract/bridge';
import type { Result } from '../../src-main/contract/result';
import type { HostMessage } from '../../src-main/host/socket-protocol';
import { AUTH_REFUSED } from '../../src-main/host/socket-protocol';

const RETRY_MAX_MS = 5000;

/** Per tab and per origin (port included): survives a reload, never reaches another local service. */
export const ACCESS_KEY_STORAGE = 'pelote.accessKey';

const NO_ACCESS_KEY: Result<never> = {
  ok: false,
  error: { code: 'no_access_key', message: 'Open the address printed by `pelote serve`: it carries the access key.' },
};

/**
 * The access key from the fragment of the URL `pelote serve` printed (`#token=…`), which no request carries: it is
 * kept for this tab and taken out of the address bar and history. Null when the tab never had one.
 */
export function takeAccessToken(): string | null {
  const given = location.hash.startsWith('#token=') ? location.hash.slice('#token='.length) : '';
  if (given) {
    sessionStorage.setItem(ACCESS_KEY_STORAGE, given);
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(ACCESS_KEY_STORAGE);
}

/**
 * The browser host's transport: the same bridge shape as the preload, over one WebSocket to the page's own origin,
 * authenticated by its first message. Reconnects with capped backoff; calls made while disconnected wait for the
 * socket rather than fail. Without a key, or once the host refuses it (a new `pelote serve` start makes a new one),
 * every call fails with `no_access_key` and it stops trying.
 */
export function createWebSocketBridge(url = `ws://${location.host}/api`, token = takeAccessToken()): PeloteBridge {
  /** Set once the host has accepted the key. */
  let socket: WebSocket | null = null;
  let refused = token === null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const queue: { id: number; message: string }[] = [];
  const listeners = new Set<(name: string, payload: unknown) => void>();

  function refuse(): void {
    refused = true;
    sessionStorage.removeItem(ACCESS_KEY_STORAGE);
    for (const { id } of queue.splice(0)) {
      pending.get(id)?.(NO_ACCESS_KEY);
      pending.delete(id);
    }
  }

  function connect(): void {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as HostMessage;
      if (message.type === 'auth') {
        socket = ws;
        retryMs = 250;
        for (const { message: queued } of queue.splice(0)) ws.send(queued);
      } else if (message.type === 'result') {
        if (message.id === null) return;
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else {
        for (const listener of listeners) listener(message.name, message.payload);
      }
    };
    ws.onclose = (event) => {
      socket = null;
      // Calls in flight may or may not have run: report them, never resend them. Queued ones were never sent.
      const queued = new Set(queue.map(({ id }) => id));
      for (const [id, resolve] of pending) {
        if (queued.has(id)) continue;
        resolve({ ok: false, error: { code: 'disconnected', message: 'Connection to Pelote lost.' } });
        pending.delete(id);
      }
      if (event.code === AUTH_REFUSED) {
        refuse();
        return;
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
  }
  if (!refused) connect();

  return {
    invoke: (method, args) =>
      new Promise((resolve) => {
        if (refused) {
          resolve(NO_ACCESS_KEY);
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        const message = JSON.stringify({ id, method, args });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push({ id, message });
      }),
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
