// The laptop-side check of a service URL: does it answer, with a good status, the expected text, quickly, and how long
// is its TLS certificate still valid. node:http(s) rather than fetch, which hides the peer certificate.
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { CoreError } from '../../errors';

export type HttpCheckError =
  | 'http_refused'
  | 'http_timeout'
  | 'http_status'
  | 'http_text_missing'
  | 'tls_invalid'
  | 'http_unreachable';

export interface HttpCheckOptions {
  /** Text the body must contain (searched in the body's first 1 Mi characters). */
  expectText?: string;
  /** For the whole check: name lookup, connection, TLS, headers and body. */
  timeoutMs: number;
}

export interface HttpCheckResult {
  /** Answered with 2xx/3xx, the expected text if any, and a certificate the system trusts for this name. */
  ok: boolean;
  status: number | null;
  /** Until the response headers arrived. Null when none did. */
  latencyMs: number | null;
  /**
   * The first problem, the service's own before the certificate's: a self-signed server answering 502 reports
   * http_status. The certificate's problem shows once the service answers (and its days left, always).
   */
  error: HttpCheckError | null;
  /** What went wrong, for the details: the system error code, the certificate verdict, or the status. */
  detail: string | null;
  /** Whole days until the certificate expires (negative once expired). Null over plain HTTP or without a certificate. */
  tlsDaysLeft: number | null;
}

const BODY_LIMIT = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const REFUSED = new Set(['ECONNREFUSED']);
const TIMED_OUT = new Set(['ETIMEDOUT']);

/** Never rejects for the server's faults (they are in the result); rejects with `http_url_invalid` for a bad URL. */
export function checkHttp(url: string, options: HttpCheckOptions): Promise<HttpCheckResult> {
  return new Promise((resolve) => {
    const target = parseUrl(url); // throwing here rejects the promise
    const client = target.protocol === 'https:' ? https : http;
    const started = performance.now();
    let status: number | null = null;
    let latencyMs: number | null = null;
    let tlsDaysLeft: number | null = null;
    let tlsError: string | null = null;
    let settled = false;

    const finish = (error: HttpCheckError | null, detail: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ok: error === null, status, latencyMs, error, detail, tlsDaysLeft });
    };

    const request = client.request(target, {
      method: 'GET',
      // A fresh connection each time: a reused one would skip the handshake and hide its latency.
      agent: false,
      // Verified below, after reading the certificate: an invalid one is reported with its days left.
      rejectUnauthorized: false,
      headers: { 'user-agent': 'Pelote-health-check', accept: '*/*', connection: 'close' },
    });

    const timer = setTimeout(() => finish('http_timeout', `no complete answer within ${options.timeoutMs} ms`), options.timeoutMs);

    request.once('socket', (socket) => {
      if (!('encrypted' in socket)) return;
      const tls = socket as TLSSocket;
      tls.once('secureConnect', () => {
        const validTo = Date.parse(tls.getPeerCertificate().valid_to);
        if (Number.isFinite(validTo)) tlsDaysLeft = Math.floor((validTo - Date.now()) / DAY_MS);
        // rejectUnauthorized is off, yet Node still verifies the chain and the host name and records the verdict.
        if (!tls.authorized) tlsError = String(tls.authorizationError);
      });
    });

    // `on`, not `once`: destroying the request may emit a late error, which must not go unhandled.
    request.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      if (REFUSED.has(code)) finish('http_refused', code);
      else if (TIMED_OUT.has(code)) finish('http_timeout', code);
      // EPROTO: OpenSSL gave up on the handshake (a plain HTTP port answering, an unsupported protocol version...).
      else if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) finish('tls_invalid', code);
      else finish('http_unreachable', code);
    });

    request.once('response', (response) => {
      status = response.statusCode ?? null;
      latencyMs = Math.round(performance.now() - started);
      const statusOk = status !== null && status >= 200 && status < 400;
      const certificateProblem = (): [HttpCheckError | null, string | null] =>
        tlsError === null ? [null, null] : ['tls_invalid', tlsError];
      if (!statusOk) return finish('http_status', `HTTP ${String(status)}`);
      const expected = options.expectText;
      if (expected === undefined || expected === '') return finish(...certificateProblem());
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.includes(expected)) finish(...certificateProblem());
        else if (body.length >= BODY_LIMIT) finish('http_text_missing', 'not in the first 1 Mi characters');
      });
      response.once('end', () => finish('http_text_missing', null));
      response.on('error', (err: NodeJS.ErrnoException) => finish('http_unreachable', err.code ?? err.message));
    });

    request.end();
  });
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CoreError('http_url_invalid', `Not a URL: ${url}`, { url });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CoreError('http_url_invalid', `Not an http(s) URL: ${url}`, { url });
  }
  return parsed;
}
