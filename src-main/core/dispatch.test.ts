import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, tempCore } from '../testing/temp-core';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';

let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

const changesWritten = () => ({
  settings: core.db.prepare('select count(*) from settings').pluck().get(),
  audit: core.db.prepare('select count(*) from audit_log').pluck().get(),
});

describe('contract boundary', () => {
  it('returns {ok: true, value} for a valid call', async () => {
    core = tempCore({ clock: fixedClock('2026-01-01T00:00:00Z') });
    const result = await dispatch(createHandlers(core), 'settings.update', { associationName: '  Les Chatons  ', fiscalYearStartMonth: 9 });
    expect(result).toMatchObject({ ok: true, value: { associationName: 'Les Chatons', fiscalYearStartMonth: 9 } });
  });

  it.each([
    ['a month out of range', { fiscalYearStartMonth: 13 }, 'fiscalYearStartMonth'],
    ['a wrong type', { fiscalYearStartMonth: '9' }, 'fiscalYearStartMonth'],
    ['an unknown field', { associationName: 'X', isAdmin: true }, ''],
    ['an empty name', { associationName: '   ' }, 'associationName'],
    ['a bad currency', { currency: 'euro' }, 'currency'],
    ['an empty patch', {}, ''],
    ['not an object', 'DROP TABLE settings', ''],
  ])('refuses %s with invalid_argument and writes nothing', async (_label, args, path) => {
    core = tempCore();
    const before = changesWritten();
    const result = await dispatch(createHandlers(core), 'settings.update', args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_argument');
    const issues = result.error.details?.issues as { path: string[] }[];
    expect(issues.length).toBeGreaterThan(0);
    if (path) expect(issues.map((i) => i.path.join('.'))).toContain(path);
    expect(changesWritten()).toEqual(before);
  });

  it('refuses an unknown method, including prototype names', async () => {
    core = tempCore();
    for (const method of ['settings.delete', 'constructor', '__proto__', 42]) {
      const result = await dispatch(createHandlers(core), method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('carries core error codes and refuses links outside the allowlist without opening them', async () => {
    const opened: string[] = [];
    core = tempCore({ platform: { openExternal: (url) => {
          opened.push(url);
          return Promise.resolve();
        }, } });
    const handlers = createHandlers(core);
    const refused = await dispatch(handlers, 'app.openExternal', { url: 'https://evil.example/phish' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'link_not_allowed', details: { url: 'https://evil.example/phish' } } });
    const notHttps = await dispatch(handlers, 'app.openExternal', { url: 'file:///etc/passwd' });
    expect(notHttps).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const allowed = await dispatch(handlers, 'app.openExternal', { url: 'https://chatons.org/' });
    expect(allowed).toEqual({ ok: true, value: null });
    const mail = await dispatch(handlers, 'app.openExternal', { url: 'mailto:?bcc=a%40example.org,b%40example.org' });
    expect(mail).toEqual({ ok: true, value: null });
    expect(opened).toEqual(['https://chatons.org/', 'mailto:?bcc=a%40example.org,b%40example.org']);
  });

  it('routes notifications to the native adapter, or to the page when there is none', async () => {
    const native: string[] = [];
    core = tempCore({ platform: { notify: (title) => native.push(title) } });
    expect(await dispatch(createHandlers(core), 'app.notify', { title: 'Etherpad down', body: '' })).toEqual({ ok: true, value: { delivered: 'native' } });
    expect(native).toEqual(['Etherpad down']);
    core.cleanup();

    core = tempCore();
    const pushed: unknown[] = [];
    core.events.onAny((name, payload) => pushed.push([name, payload]));
    expect(await dispatch(createHandlers(core), 'app.notify', { title: 'Etherpad down', body: 'since 10:02' })).toEqual({ ok: true, value: { delivered: 'page' } });
    expect(pushed).toEqual([['app.notification', { title: 'Etherpad down', body: 'since 10:02' }]]);
  });

  it('hides unexpected failures behind code internal', async () => {
    core = tempCore();
    const handlers = createHandlers(core);
    core.db.close();
    const result = await dispatch(handlers, 'settings.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });
});
