import type { PeloteBridge } from '../../src-main/contract/bridge';
import type { Result } from '../../src-main/contract/result';

type Incoming =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };

const RETRY_MAX_MS = 5000;

/**
 * The browser host's transport: the same bridge shape as the preload, over one WebSocket to the page's own origin
 * (the access cookie set by the host authenticates it). Reconnects with capped backoff; calls made while
 * disconnected wait for the socket rather than fail.
 */
export function createWebSocketBridge(url = `ws://${location.host}/api`): PeloteBridge {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const queue: string[] = [];
  const listeners = new Set<(name: string, payload: unknown) => void>();

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Incoming;
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else {
        for (const listener of listeners) listener(message.name, message.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      // Calls in flight may or may not have run: report them, never resend them.
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'disconnected', message: 'Connection to Pelote lost.' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
  }
  connect();

  return {
    invoke: (method, args) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        const message = JSON.stringify({ id, method, args });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      }),
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
