import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createHandlers } from '../../src-main/core/handlers';
import type { Host } from '../../src-main/host/host-server';
import { startHost } from '../../src-main/host/host-server';
import { tempCore } from '../../src-main/testing/temp-core';
import { createWebSocketBridge, takeAccessToken } from './ws-bridge';

// The bridge against a real host, in Node: the few browser globals it uses are stood in for.
let core: ReturnType<typeof tempCore>;
let host: Host;
/** The URLs of the sockets bridges opened; an earlier test's bridge may still be retrying its own host's. */
let opened: string[];
let storage: Map<string, string>;
const replaceState = vi.fn();

beforeEach(async () => {
  core = tempCore();
  mkdirSync(join(core.dataDir, 'renderer'));
  host = await startHost({ core, handlers: createHandlers(core), staticDir: join(core.dataDir, 'renderer') });
  opened = [];
  storage = new Map();
  replaceState.mockReset();
  const origin = `http://127.0.0.1:${host.port}`;
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  });
  vi.stubGlobal('history', { state: null, replaceState });
  vi.stubGlobal(
    'WebSocket',
    class extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin });
        opened.push(url);
        // A browser reports a refused connection through onclose alone.
        this.on('error', () => undefined);
      }
    },
  );
});
afterEach(async () => {
  vi.unstubAllGlobals();
  // A bridge has no close: once the tests are over, its retries get a socket that never opens, and stop there.
  vi.stubGlobal('WebSocket', class NeverOpens {
    readonly readyState = 0;
  });
  await host.close();
  core.cleanup();
});

const at = (hash: string) => vi.stubGlobal('location', { host: `127.0.0.1:${host.port}`, pathname: '/', search: '', hash });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const apiUrl = () => `ws://127.0.0.1:${host.port}/api`;

describe('the browser host bridge', () => {
  it('takes the key from the address fragment, keeps it for the tab, and clears it from the address bar', () => {
    at(`#token=${host.token}`);
    expect(takeAccessToken()).toBe(host.token);
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');

    // A reload: the address no longer carries it, the tab still has it.
    at('');
    expect(takeAccessToken()).toBe(host.token);
    at('#/members');
    expect(takeAccessToken()).toBe(host.token);
    expect(replaceState).toHaveBeenCalledTimes(1);
  });

  it('authenticates with the key in its first message, then carries calls and events', async () => {
    const bridge = createWebSocketBridge(apiUrl(), host.token);
    const events: string[] = [];
    bridge.on((name) => events.push(name));
    expect(await bridge.invoke('settings.update', { associationName: 'Les Chatons' })).toMatchObject({ ok: true });
    expect(events).toContain('settings.changed');
  });

  it('without a key, answers every call with no_access_key and opens no socket', async () => {
    at('');
    const bridge = createWebSocketBridge(apiUrl(), takeAccessToken());
    expect(await bridge.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'no_access_key' } });
    expect(opened.filter((url) => url === apiUrl())).toEqual([]);
  });

  it('stops at the host refusing the key: forgets it, answers no_access_key, never reconnects', async () => {
    at('#token=an-old-key-from-a-previous-start');
    const bridge = createWebSocketBridge(apiUrl(), takeAccessToken());
    expect(await bridge.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'no_access_key' } });
    expect(storage.size).toBe(0);
    await pause(700);
    expect(opened.filter((url) => url === apiUrl())).toHaveLength(1);
    expect(await bridge.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'no_access_key' } });
  });
});
