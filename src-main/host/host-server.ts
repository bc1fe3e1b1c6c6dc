import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Result } from '../contract';
import { CONTENT_SECURITY_POLICY } from '../contract/csp';
import { MAX_BASE64_LENGTH } from '../contract/fields';
import type { Core } from '../core/core';
import { dispatch } from '../core/dispatch';
import type { Handlers } from '../core/handler-types';
import { isLoopbackHost } from './loopback';
import type { CallMessage, HostMessage } from './socket-protocol';
import { AUTH_REFUSED } from './socket-protocol';
import { readStatic, requestPath } from './static-files';
import { isAccessToken, newAccessToken } from './token-auth';

export interface HostOptions {
  core: Core;
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  /** How long a new socket has to send its access key (5 s). */
  authTimeoutMs?: number;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** The largest call the contract accepts is a file in base64; the rest of its JSON fits in the margin. */
const MAX_MESSAGE_BYTES = MAX_BASE64_LENGTH + 1024 * 1024;

const INTERNAL: Result<never> = { ok: false, error: { code: 'internal', message: 'Internal error' } };
const NOT_A_CALL: HostMessage = {
  type: 'result',
  id: null,
  result: { ok: false, error: { code: 'protocol_error', message: 'Expected {id: integer, method: string, args}' } },
};

const isCall = (message: unknown): message is CallMessage =>
  typeof message === 'object' &&
  message !== null &&
  !Array.isArray(message) &&
  Number.isSafeInteger((message as Partial<CallMessage>).id) &&
  typeof (message as Partial<CallMessage>).method === 'string';

function parse(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** One line on stderr: what failed, never the data it carried. */
const logFault = (what: string, error: unknown) =>
  console.error(`[pelote] host: ${what}: ${error instanceof Error ? error.name : typeof error}`);

/**
 * The browser face: the built renderer (public code, no data) and the same contract over a WebSocket, on 127.0.0.1
 * only. The access key travels in the printed URL's fragment, which never reaches a server; the page sends it as the
 * socket's first message, and nothing — no result, no event — goes out on a socket before it.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? newAccessToken();
  const authTimeoutMs = options.authTimeoutMs ?? 5000;

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((error: unknown) => {
      logFault('a request failed', error);
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });

  function refuse(res: ServerResponse, status: number): void {
    res.writeHead(status, SECURITY_HEADERS).end();
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHost(req.headers.host)) return refuse(res, 421);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405);
    const path = requestPath(req.url);
    if (path === null) return refuse(res, 400);
    const file = await readStatic(options.staticDir, path);
    if (!file) return refuse(res, 404);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    // Node no longer watches an upgraded socket's errors: a reset peer would otherwise end the process.
    socket.on('error', () => socket.destroy());
    const host = req.headers.host;
    // The Origin check stops another site's page (or a rebound name) from opening the socket in a user's browser.
    const refusal = !isLoopbackHost(host)
      ? '421 Misdirected Request'
      : req.headers.origin !== `http://${host ?? ''}`
        ? '403 Forbidden'
        : requestPath(req.url) !== '/api'
          ? '404 Not Found'
          : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, serveSocket);
  });

  function send(ws: WebSocket, message: HostMessage): void {
    // The page may have gone while a call ran: there is no one left to answer.
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      logFault('a message could not be encoded', error);
      if (message.type !== 'result') return;
      text = JSON.stringify({ ...message, result: INTERNAL });
    }
    ws.send(text);
  }

  async function answer(ws: WebSocket, call: CallMessage): Promise<void> {
    let result: Result<unknown>;
    try {
      result = await dispatch(options.handlers, call.method, call.args);
    } catch (error) {
      logFault(`${call.method} failed outside its handler`, error);
      result = INTERNAL;
    }
    send(ws, { type: 'result', id: call.id, result });
  }

  function serveSocket(ws: WebSocket): void {
    // A broken frame (bad UTF-8, too large…) makes ws close the socket and emit 'error', which must not end the process.
    ws.on('error', () => undefined);
    let state: 'waiting' | 'refused' | 'open' = 'waiting';
    let unsubscribe = () => {};
    const refuseSocket = () => {
      state = 'refused';
      ws.close(AUTH_REFUSED, 'access key required');
    };
    const deadline = setTimeout(refuseSocket, authTimeoutMs);
    ws.on('close', () => {
      clearTimeout(deadline);
      unsubscribe();
    });
    ws.on('message', (data: Buffer) => {
      if (state === 'refused') return;
      const message = parse(data);
      if (state === 'waiting') {
        clearTimeout(deadline);
        const auth = message as { type?: unknown; token?: unknown } | null;
        if (typeof auth !== 'object' || auth === null || auth.type !== 'auth' || !isAccessToken(auth.token, token)) {
          refuseSocket();
          return;
        }
        state = 'open';
        send(ws, { type: 'auth', ok: true });
        unsubscribe = options.core.events.onAny((name, payload) => send(ws, { type: 'event', name, payload }));
        return;
      }
      if (isCall(message)) void answer(ws, message);
      else send(ws, NOT_A_CALL);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
