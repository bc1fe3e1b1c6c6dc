import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../contract/csp';
import type { Core } from '../core/core';
import { dispatch } from '../core/dispatch';
import type { Handlers } from '../core/handler-types';
import { readStatic } from './static-files';
import { cookieName, newAccessToken, tokenFromCookie, tokenFromQuery } from './token-auth';

export interface HostOptions {
  core: Core;
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
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

/**
 * The browser face: the built renderer and the same contract over a WebSocket, on 127.0.0.1 only, behind a random
 * token. The token arrives once in the printed URL and is then kept in an HttpOnly cookie.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? newAccessToken();
  let port = 0;

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    if (tokenFromQuery(url, token)) {
      // Keep the token out of the address bar and history once it has become a cookie.
      url.searchParams.delete('token');
      res
        .writeHead(303, {
          ...SECURITY_HEADERS,
          'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + url.search + url.hash,
        })
        .end();
      return;
    }
    if (!tokenFromCookie(req, port, token)) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('401 Unauthorized\n');
      return;
    }
    const file = await readStatic(options.staticDir, url.pathname);
    if (!file) {
      res.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // The cookie proves the token; the Origin check stops another site's page from riding on it.
    const sameOrigin = req.headers.origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== '/api' || !sameOrigin || !tokenFromCookie(req, port, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const unsubscribe = options.core.events.onAny((name, payload) => {
      ws.send(JSON.stringify({ type: 'event', name, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data: Buffer) => {
      let message: { id?: unknown; method?: unknown; args?: unknown };
      try {
        message = JSON.parse(data.toString('utf8')) as typeof message;
      } catch {
        ws.close(1003, 'invalid JSON');
        return;
      }
      void dispatch(options.handlers, message.method, message.args).then((result) => {
        ws.send(JSON.stringify({ type: 'result', id: message.id, result }));
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
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
