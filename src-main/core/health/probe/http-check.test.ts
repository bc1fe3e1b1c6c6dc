import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../testing/sshd';
import { checkHttp } from './http-check';

const execFileAsync = promisify(execFile);
const HOST = '127.0.0.1';
const TIMEOUT_MS = 2_000;

const servers: net.Server[] = [];
let dir: string;

function handler(request: http.IncomingMessage, response: http.ServerResponse): void {
  const route = request.url ?? '/';
  if (route === '/down') return void response.writeHead(503).end('maintenance');
  if (route === '/moved') return void response.writeHead(302, { location: '/' }).end();
  if (route === '/big') {
    // 2 MiB of filler, then the text: past what the check reads.
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('x'.repeat(2 * 1024 * 1024));
    return void response.end('Etherpad');
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<title>Etherpad — pads</title>');
}

async function listen<T extends net.Server>(server: T): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return `${HOST}:${(server.address() as net.AddressInfo).port}`;
}

let plain: string;
let secure: string;
let silent: string;
let resetting: string;
let closed: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pelote-http-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  await execFileAsync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '10', '-subj', '/CN=localhost', '-keyout', key, '-out', cert,
  ]);
  plain = await listen(http.createServer(handler));
  secure = await listen(https.createServer({ key: await readFile(key), cert: await readFile(cert) }, handler));
  // Accepts connections and never says a word.
  silent = await listen(net.createServer(() => undefined));
  resetting = await listen(net.createServer((socket) => socket.resetAndDestroy()));
  closed = `${HOST}:${await freeLoopbackPort()}`;
});

afterAll(async () => {
  for (const server of servers) {
    server.close();
    if (server instanceof http.Server) server.closeAllConnections();
  }
  await rm(dir, { recursive: true, force: true });
});

describe('checkHttp', () => {
  it('passes a service that answers, and measures its latency', async () => {
    const result = await checkHttp(`http://${plain}/`, { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: true, status: 200, error: null, tlsDaysLeft: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(TIMEOUT_MS);
  });

  it('finds the expected text (UTF-8 included) or reports it missing', async () => {
    expect(await checkHttp(`http://${plain}/`, { expectText: 'Etherpad — pads', timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: true,
      error: null,
    });
    expect(await checkHttp(`http://${plain}/`, { expectText: 'Nextcloud', timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      status: 200,
      error: 'http_text_missing',
    });
    expect(await checkHttp(`http://${plain}/big`, { expectText: 'Etherpad', timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      error: 'http_text_missing',
    });
  });

  it('takes redirects as answers and 5xx as failures', async () => {
    expect(await checkHttp(`http://${plain}/moved`, { timeoutMs: TIMEOUT_MS })).toMatchObject({ ok: true, status: 302 });
    expect(await checkHttp(`http://${plain}/down`, { timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      status: 503,
      error: 'http_status',
      detail: 'HTTP 503',
    });
  });

  it("reports a self-signed certificate as invalid, with its days left", async () => {
    const result = await checkHttp(`https://${secure}/`, { expectText: 'Etherpad', timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, status: 200, error: 'tls_invalid', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    // Issued for 10 days a moment ago: 9 whole days and a bit left.
    expect(result.tlsDaysLeft).toBe(9);
  });

  it('lets the service fail first: a self-signed server answering 503 reports the status', async () => {
    const result = await checkHttp(`https://${secure}/down`, { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, error: 'http_status', tlsDaysLeft: 9 });
  });

  it('reports TLS spoken to a plain HTTP port as a TLS failure', async () => {
    const result = await checkHttp(`https://${plain}/`, { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, status: null, error: 'tls_invalid', tlsDaysLeft: null });
  });

  it('times out on a server that never answers', async () => {
    const started = performance.now();
    const result = await checkHttp(`http://${silent}/`, { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, status: null, latencyMs: null, error: 'http_timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('reports a closed port as refused and a reset connection as unreachable', async () => {
    expect(await checkHttp(`http://${closed}/`, { timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      error: 'http_refused',
      detail: 'ECONNREFUSED',
    });
    expect(await checkHttp(`http://${resetting}/`, { timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      error: 'http_unreachable',
      detail: 'ECONNRESET',
    });
  });

  it('refuses what is not an http(s) URL', async () => {
    await expect(checkHttp('ftp://example.org/', { timeoutMs: TIMEOUT_MS })).rejects.toMatchObject({
      code: 'http_url_invalid',
    });
    await expect(checkHttp('not a url', { timeoutMs: TIMEOUT_MS })).rejects.toMatchObject({ code: 'http_url_invalid' });
  });
});
