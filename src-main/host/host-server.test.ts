import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createHandlers } from '../core/handlers';
import { tempCore } from '../testing/temp-core';
import type { Host } from './host-server';
import { startHost } from './host-server';

let core: ReturnType<typeof tempCore>;
let host: Host;
afterEach(async () => {
  await host.close();
  core.cleanup();
});

async function start() {
  core = tempCore();
  const staticDir = join(core.dataDir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(core.dataDir, 'secret.txt'), 'outside the renderer');
  host = await startHost({ core, handlers: createHandlers(core), staticDir });
  return `http://127.0.0.1:${host.port}`;
}

function socket(origin: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers: { origin, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', async () => {
    await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers 401 without the token and trades a good token for an HttpOnly cookie', async () => {
    const base = await start();
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);

    const redirect = await fetch(host.url, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/');
    const cookie = redirect.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>t</title>');
  });

  it('never serves files outside the renderer directory', async () => {
    const base = await start();
    const cookie = `pelote_token_${host.port}=${host.token}`;
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      expect(response.status, path).toBe(404);
    }
  });

  it('carries the contract over the socket, with the same validation, for same-origin pages holding the cookie', async () => {
    const base = await start();
    const cookie = `pelote_token_${host.port}=${host.token}`;
    await expect(socket(base, {})).rejects.toThrow(/401/);
    await expect(socket('http://evil.example', { cookie })).rejects.toThrow(/401/);

    const ws = await socket(base, { cookie });
    const reply = (message: { id: number; method: string; args: unknown }) =>
      new Promise<{ id: number; result: { ok: boolean; error?: { code: string }; value?: unknown } }>((resolve) => {
        const onMessage = (data: Buffer) => {
          const parsed = JSON.parse(data.toString('utf8')) as { type: string; id: number };
          if (parsed.type !== 'result' || parsed.id !== message.id) return;
          ws.off('message', onMessage);
          resolve(parsed as never);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify(message));
      });
    const refused = await reply({ id: 7, method: 'settings.update', args: { fiscalYearStartMonth: 0 } });
    expect(refused).toMatchObject({ id: 7, result: { ok: false, error: { code: 'invalid_argument' } } });
    expect(core.db.prepare('select count(*) from settings').pluck().get()).toBe(0);

    const events: unknown[] = [];
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string };
      if (message.type === 'event') events.push(message);
    });
    const saved = await reply({ id: 8, method: 'settings.update', args: { associationName: 'Les Chatons' } });
    expect(saved).toMatchObject({ id: 8, result: { ok: true, value: { associationName: 'Les Chatons' } } });
    expect(events).toMatchObject([{ type: 'event', name: 'settings.changed', payload: { associationName: 'Les Chatons' } }]);
    ws.close();
  });
});
