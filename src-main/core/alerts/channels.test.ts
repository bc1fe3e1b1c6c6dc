import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArgsOf, Channel, ChannelTestResult } from '../../contract';
import { tempCore } from '../../testing/temp-core';
import { secretsDirIn } from '../data-dir';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import type { SecretBox } from '../platform';
import { closedPort, json, selfSignedCert, startHttp, startSmtp, type HttpReceiver, type SmtpReceiver } from './alert-test-receivers';
import { ChannelsService } from './channels-service';
import { sendToChannel, sendToChannels, testChannel } from './deliver';

type ChannelAdd = ArgsOf<'channels.add'>;

/** Stands in for Electron's safeStorage: reversible, and never the plain text. */
const fakeKeychain: SecretBox = {
  available: () => true,
  unavailableReason: () => null,
  seal: (plain) => Buffer.from(`sealed:${Buffer.from(plain).reverse().toString('base64')}`),
  open: (sealed) => Buffer.from(sealed.toString().slice('sealed:'.length), 'base64').reverse().toString(),
};

const SMTP_PASSWORD = 'smtp-Pässw0rd-7c1e';
const NTFY_TOKEN = 'tk_ntfytoken0123456789abcdef';
const MATRIX_TOKEN = 'syt_matrixtoken_9f8e7d6c5b';
const QUICK = { timeoutMs: 1500, backoffMs: 10 };

let cert: { key: string; cert: string };
let starttls: SmtpReceiver;
let plain: SmtpReceiver;
let http: HttpReceiver;
const cores: ReturnType<typeof tempCore>[] = [];

beforeAll(async () => {
  cert = selfSignedCert();
  starttls = await startSmtp({ user: 'pelote', password: SMTP_PASSWORD, tls: cert });
  plain = await startSmtp({ user: 'relay', password: SMTP_PASSWORD });
  http = await startHttp();
});
afterAll(async () => {
  await Promise.all([starttls.close(), plain.close(), http.close()]);
});
afterEach(() => {
  for (const core of cores.splice(0)) core.cleanup();
  http.routes.clear();
  http.requests.length = 0;
});

function newCore(keychain = false) {
  const core = tempCore(keychain ? { platform: { secrets: fakeKeychain } } : {});
  cores.push(core);
  return { core, call: async (method: string, args: unknown) => dispatch(createHandlers(core), method, args) };
}

async function add(call: (m: string, a: unknown) => Promise<unknown>, input: ChannelAdd): Promise<Channel> {
  const result = (await call('channels.add', input)) as { ok: boolean; value: Channel; error?: unknown };
  expect(result.error).toBeUndefined();
  return result.value;
}

const emailInput = (port: number, security: 'starttls' | 'none', user: string, password = SMTP_PASSWORD): ChannelAdd => ({
  name: `mail ${security}`,
  kind: 'email',
  settings: { host: '127.0.0.1', port, security, username: user, from: 'pelote@asso.example', to: ['admins@asso.example', 'tresorier@asso.example'] },
  secret: password,
});

describe('e-mail channel', () => {
  it('STARTTLS with a login: the test message arrives encrypted, in French by default, with its headers', async () => {
    const { core, call } = newCore();
    const channel = await add(call, emailInput(starttls.port, 'starttls', 'pelote'));
    const result = await testChannel(core, channel.id, { ca: [cert.cert] });
    expect(result).toMatchObject({ ok: true, attempts: 1, error: null });
    expect(result.channel.lastOkAt).not.toBeNull();
    const mail = starttls.mails.at(-1);
    expect(mail).toMatchObject({ from: 'pelote@asso.example', to: ['admins@asso.example', 'tresorier@asso.example'], user: 'pelote', secure: true });
    expect(mail?.raw).toMatch(/^Subject: Pelote : message de test$/m);
    expect(mail?.raw).toMatch(/^From: pelote@asso\.example$/m);
    expect(mail?.raw).toMatch(/^To: admins@asso\.example, tresorier@asso\.example$/m);
    expect(mail?.raw).toMatch(/^X-Pelote-Severity: info$/m);
    expect(mail?.raw).toContain('mail starttls');
  });

  it('STARTTLS refuses a certificate it cannot verify', async () => {
    const { core, call } = newCore();
    const channel = await add(call, emailInput(starttls.port, 'starttls', 'pelote'));
    const before = starttls.mails.length;
    const result = await testChannel(core, channel.id);
    expect(result.error?.code).toBe('channel_tls_failed');
    expect(starttls.mails.length).toBe(before);
  });

  it('plain with a login: a refused password marks the channel failing, a later success clears it', async () => {
    const { core, call } = newCore();
    const wrong = await add(call, emailInput(plain.port, 'none', 'relay', 'not-the-password'));
    const failed = await sendToChannel(core, wrong.id, { title: 'Etherpad est arrêté', body: 'depuis 03:12', severity: 'critical' }, QUICK);
    // A refused password is not tried again.
    expect(failed).toMatchObject({ ok: false, attempts: 1, error: { code: 'channel_smtp_auth_failed' } });
    const failing = new ChannelsService(core).get(wrong.id);
    expect(failing.failingSince).not.toBeNull();
    expect(failing.lastError?.code).toBe('channel_smtp_auth_failed');

    const updated = (await call('channels.update', { id: wrong.id, kind: 'email', secret: SMTP_PASSWORD })) as { value: Channel };
    expect(updated.value.failingSince).not.toBeNull();
    const sent = await sendToChannel(core, wrong.id, { title: 'Etherpad est arrêté', body: 'depuis 03:12', severity: 'critical' }, QUICK);
    expect(sent).toMatchObject({ ok: true, attempts: 1 });
    expect(new ChannelsService(core).get(wrong.id)).toMatchObject({ failingSince: null, lastError: null });
    expect(plain.mails.at(-1)).toMatchObject({ user: 'relay', secure: false });
    expect(plain.mails.at(-1)?.raw).toContain('depuis 03:12');
  });

  it('STARTTLS required: a server that does not offer it gets neither the password nor the message', async () => {
    const { core, call } = newCore();
    const channel = await add(call, emailInput(plain.port, 'starttls', 'relay'));
    const before = plain.mails.length;
    const result = await testChannel(core, channel.id);
    expect(result.error?.code).toBe('channel_tls_failed');
    expect(plain.mails.length).toBe(before);
  });

  it('a server that never greets times out', async () => {
    const { core, call } = newCore();
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const channel = await add(call, emailInput((silent.address() as AddressInfo).port, 'none', 'relay'));
      const result = await sendToChannel(core, channel.id, { title: 't', body: 'b', severity: 'critical' }, { timeoutMs: 300, attempts: 1 });
      expect(result).toMatchObject({ ok: false, error: { code: 'channel_timeout' } });
      expect(new ChannelsService(core).get(channel.id).failingSince).not.toBeNull();
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a closed port is refused, and retried with backoff', async () => {
    const { core, call } = newCore();
    const channel = await add(call, emailInput(await closedPort(), 'none', 'relay'));
    const result = await sendToChannel(core, channel.id, { title: 't', body: 'b', severity: 'warning' }, { ...QUICK, attempts: 3 });
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: 'channel_smtp_refused' } });
  });
});

describe('HTTP channels', () => {
  it('ntfy: JSON published to the server root with the topic, title, priority, tags and the token', async () => {
    const { core, call } = newCore();
    http.routes.set('/', json(200, { id: 'x' }));
    const channel = await add(call, { name: 'ntfy', kind: 'ntfy', settings: { serverUrl: `${http.url}/`, topic: 'asso_alertes-1', priority: 5 }, secret: NTFY_TOKEN });
    expect((await testChannel(core, channel.id)).ok).toBe(true);
    const [request] = http.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(request?.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      topic: 'asso_alertes-1',
      title: 'Pelote : message de test',
      message: expect.stringContaining('« ntfy »') as string,
      priority: 5,
      tags: ['information_source'],
    });
  });

  it('ntfy without a token sends no Authorization header; the team language follows the settings', async () => {
    const { core, call } = newCore();
    core.settings.update({ language: 'en' });
    http.routes.set('/', json(200, {}));
    const channel = await add(call, { name: 'public', kind: 'ntfy', settings: { serverUrl: http.url, topic: 'open' }, secret: null });
    expect((await testChannel(core, channel.id)).ok).toBe(true);
    expect(http.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(http.requests[0]?.body ?? '')).toMatchObject({ title: 'Pelote: test message', priority: 4 });
  });

  it('Matrix: PUT to the room’s send endpoint with a transaction id, the token and an m.text body', async () => {
    const { core, call } = newCore();
    http.routes.set('/_matrix/client/v3/rooms/', json(200, { event_id: '$abc' }));
    const channel = await add(call, { name: 'salon', kind: 'matrix', settings: { homeserverUrl: http.url, roomId: '!AbCdEf:matrix.asso.example' }, secret: MATRIX_TOKEN });
    await sendToChannel(core, channel.id, { title: 'Nextcloud injoignable', body: 'depuis 03:12', severity: 'critical' }, QUICK);
    await sendToChannel(core, channel.id, { title: 'Nextcloud rétabli', body: 'après 12 min', severity: 'info' }, QUICK);
    const [first, second] = http.requests;
    expect(first?.method).toBe('PUT');
    const match = /^\/_matrix\/client\/v3\/rooms\/(.+)\/send\/m\.room\.message\/([^/]+)$/.exec(first?.path ?? '');
    expect(decodeURIComponent(match?.[1] ?? '')).toBe('!AbCdEf:matrix.asso.example');
    // Each message its own transaction id: the homeserver would drop a repeated one as a retry.
    expect(second?.path.split('/').at(-1)).not.toBe(match?.[2]);
    expect(first?.headers.authorization).toBe(`Bearer ${MATRIX_TOKEN}`);
    expect(JSON.parse(first?.body ?? '')).toEqual({ msgtype: 'm.text', body: 'Nextcloud injoignable\ndepuis 03:12' });
  });

  it('Matrix: a bad token, a room the account is not in, an unknown room and an unreachable homeserver say so', async () => {
    const { core, call } = newCore();
    const matrix = async (path: string, homeserverUrl = http.url): Promise<ChannelTestResult> => {
      const channel = await add(call, { name: `m ${path} ${homeserverUrl}`, kind: 'matrix', settings: { homeserverUrl: `${homeserverUrl}${path}`, roomId: '!r:x.example' }, secret: MATRIX_TOKEN });
      return testChannel(core, channel.id);
    };
    http.routes.set('/_matrix/client/v3/rooms/', json(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' }));
    expect((await matrix('/')).error?.code).toBe('channel_bad_token');
    http.routes.set('/_matrix/client/v3/rooms/', json(403, { errcode: 'M_FORBIDDEN', error: 'not in room' }));
    expect((await matrix('')).error?.code).toBe('channel_matrix_forbidden');
    http.routes.set('/_matrix/client/v3/rooms/', json(404, { errcode: 'M_NOT_FOUND', error: 'Unknown room' }));
    const notFound = await matrix('/x');
    expect(notFound.error?.code).toBe('channel_room_not_found');
    expect(notFound.channel.failingSince).not.toBeNull();
    expect((await matrix('', `http://127.0.0.1:${await closedPort()}`)).error?.code).toBe('channel_homeserver_unreachable');
  });

  it('webhooks: each preset posts its documented body to the URL kept as the secret', async () => {
    const { core, call } = newCore();
    http.routes.set('/hooks/', json(200, { success: true }));
    const bodies: Record<string, unknown> = {};
    for (const preset of ['generic', 'slack', 'rocketchat'] as const) {
      const url = `${http.url}/hooks/${preset}-k3y`;
      const channel = await add(call, { name: preset, kind: 'webhook', settings: { preset }, secret: url });
      expect(channel.settings).toEqual({ preset, origin: http.url });
      expect((await sendToChannel(core, channel.id, { title: 'Disque plein', body: '/var à 97 %', severity: 'warning' }, QUICK)).ok).toBe(true);
      const request = http.requests.at(-1);
      expect(request).toMatchObject({ method: 'POST', path: `/hooks/${preset}-k3y` });
      expect(request?.headers['content-type']).toBe('application/json');
      bodies[preset] = JSON.parse(request?.body ?? '');
    }
    expect(bodies).toEqual({
      generic: { source: 'pelote', severity: 'warning', title: 'Disque plein', body: '/var à 97 %', text: 'Disque plein\n/var à 97 %' },
      slack: { text: 'Disque plein\n/var à 97 %' },
      rocketchat: { alias: 'Pelote', text: 'Disque plein\n/var à 97 %' },
    });
  });

  it('a 401 is a bad token (no retry); a 503 is retried and may then go through', async () => {
    const { core, call } = newCore();
    http.routes.set('/denied', json(401, {}));
    const denied = await add(call, { name: 'denied', kind: 'webhook', settings: { preset: 'slack' }, secret: `${http.url}/denied` });
    expect(await sendToChannel(core, denied.id, { title: 't', body: 'b', severity: 'critical' }, QUICK)).toMatchObject({ ok: false, attempts: 1, error: { code: 'channel_bad_token' } });

    let calls = 0;
    http.routes.set('/flaky', (_req, res) => res.writeHead(++calls === 1 ? 503 : 200).end());
    const flaky = await add(call, { name: 'flaky', kind: 'webhook', settings: { preset: 'slack' }, secret: `${http.url}/flaky` });
    expect(await sendToChannel(core, flaky.id, { title: 't', body: 'b', severity: 'critical' }, QUICK)).toMatchObject({ ok: true, attempts: 2, error: null });
  });

  it('a listener that never answers times out; the other channels still deliver; a later success clears the failure', async () => {
    const { core, call } = newCore();
    let hang = true;
    http.routes.set('/hang', (_req, res) => {
      if (!hang) res.writeHead(200).end();
    });
    http.routes.set('/ok', json(200, {}));
    const slow = await add(call, { name: 'slow', kind: 'webhook', settings: { preset: 'generic' }, secret: `${http.url}/hang` });
    const fine = await add(call, { name: 'fine', kind: 'webhook', settings: { preset: 'generic' }, secret: `${http.url}/ok` });
    const started = Date.now();
    const [a, b] = await sendToChannels(core, [slow.id, fine.id], { title: 't', body: 'b', severity: 'critical' }, { timeoutMs: 300, backoffMs: 10, attempts: 2 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(a).toMatchObject({ ok: false, attempts: 2, error: { code: 'channel_timeout' } });
    expect(b).toMatchObject({ ok: true });
    const listed = (await call('channels.list', {})) as { value: Channel[] };
    expect(listed.value.map((c) => [c.name, c.failingSince !== null, c.lastError?.code ?? null])).toEqual([
      ['fine', false, null],
      ['slow', true, 'channel_timeout'],
    ]);
    const since = listed.value.find((c) => c.name === 'slow')?.failingSince;
    await sendToChannel(core, slow.id, { title: 't', body: 'b', severity: 'critical' }, { timeoutMs: 300, attempts: 1 });
    expect(new ChannelsService(core).get(slow.id).failingSince).toBe(since);
    hang = false;
    expect((await sendToChannel(core, slow.id, { title: 't', body: 'b', severity: 'critical' }, QUICK)).ok).toBe(true);
    expect(new ChannelsService(core).get(slow.id)).toMatchObject({ failingSince: null, lastError: null });
  });
});

describe('saving channels', () => {
  const issues = async (call: (m: string, a: unknown) => Promise<unknown>, method: string, args: unknown): Promise<string[]> => {
    const result = (await call(method, args)) as { ok: boolean; error?: { code: string; details?: { issues: { path: string[] }[] } } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('invalid_argument');
    return (result.error?.details?.issues ?? []).map((i) => i.path.join('.'));
  };

  it('refuses a malformed address, URL, room id or topic, naming the field', async () => {
    const { call } = newCore();
    const email = emailInput(25, 'starttls', 'pelote');
    expect(await issues(call, 'channels.add', { ...email, settings: { ...email.settings, from: 'pelote@' } })).toEqual(['settings.from']);
    expect(await issues(call, 'channels.add', { ...email, settings: { ...email.settings, to: ['ok@asso.example', 'nope'] } })).toEqual(['settings.to.1']);
    expect(await issues(call, 'channels.add', { ...email, settings: { ...email.settings, host: '-oProxyCommand=x' } })).toEqual(['settings.host']);
    expect(await issues(call, 'channels.add', { ...email, secret: null })).toEqual(['secret']);
    expect(await issues(call, 'channels.add', { name: 'n', kind: 'ntfy', settings: { serverUrl: 'ftp://ntfy.example', topic: 'ok' }, secret: null })).toEqual(['settings.serverUrl']);
    expect(await issues(call, 'channels.add', { name: 'n', kind: 'ntfy', settings: { serverUrl: 'https://ntfy.sh', topic: 'mes alertes' }, secret: null })).toEqual(['settings.topic']);
    expect(await issues(call, 'channels.add', { name: 'm', kind: 'matrix', settings: { homeserverUrl: 'https://matrix.org', roomId: '#alertes:matrix.org' }, secret: 't' })).toEqual(['settings.roomId']);
    expect(await issues(call, 'channels.add', { name: 'w', kind: 'webhook', settings: { preset: 'generic' }, secret: 'javascript:alert(1)' })).toEqual(['secret']);
    expect(await issues(call, 'channels.add', { name: 'w', kind: 'webhook', settings: { preset: 'teams' }, secret: 'https://x.example/h' })).toEqual(['settings.preset']);
    expect(((await call('channels.list', {})) as { value: Channel[] }).value).toEqual([]);
  });

  it('names are unique; the kind cannot change; remove forgets the secret; each change is audited without secrets', async () => {
    const { core, call } = newCore();
    const channel = await add(call, { name: 'Alertes', kind: 'ntfy', settings: { serverUrl: 'https://ntfy.sh', topic: 'alertes' }, secret: NTFY_TOKEN });
    expect(await call('channels.add', { name: 'alertes', kind: 'webhook', settings: { preset: 'slack' }, secret: 'https://x.example/h' })).toMatchObject({ ok: false, error: { code: 'channel_name_taken' } });
    expect(await call('channels.update', { id: channel.id, kind: 'matrix', name: 'x' })).toMatchObject({ ok: false, error: { code: 'channel_kind_mismatch' } });
    const renamed = (await call('channels.update', { id: channel.id, kind: 'ntfy', name: 'Astreinte', settings: { serverUrl: 'https://ntfy.sh', topic: 'astreinte' }, secret: 'tk_other' })) as { value: Channel };
    expect(renamed.value).toMatchObject({ name: 'Astreinte', settings: { topic: 'astreinte' }, hasSecret: true });
    expect(new ChannelsService(core).forSending(channel.id).secret).toBe('tk_other');
    // Without a keychain (CLI, browser host): one 0600 file per secret, the replaced one gone.
    const files = readdirSync(secretsDirIn(core.dataDir));
    expect(files).toHaveLength(1);
    expect((statSync(join(secretsDirIn(core.dataDir), files[0] ?? '')).mode & 0o777).toString(8)).toBe('600');

    expect(await call('channels.remove', { id: channel.id })).toEqual({ ok: true, value: null });
    expect(readdirSync(secretsDirIn(core.dataDir))).toEqual([]);
    expect(((await call('channels.list', {})) as { value: Channel[] }).value).toEqual([]);
    expect(await call('channels.test', { id: channel.id })).toMatchObject({ ok: false, error: { code: 'channel_not_found' } });

    const audit = core.audit.list({ entity: 'channel', entityId: channel.id });
    expect(audit.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(NTFY_TOKEN);
    expect(text).not.toContain('tk_other');
  });

  it('secrets never reach the database file in clear (keychain and file)', async () => {
    for (const keychain of [true, false]) {
      const { core, call } = newCore(keychain);
      await add(call, emailInput(starttls.port, 'starttls', 'pelote'));
      await add(call, { name: 'ntfy', kind: 'ntfy', settings: { serverUrl: 'https://ntfy.sh', topic: 'alertes' }, secret: NTFY_TOKEN });
      await add(call, { name: 'matrix', kind: 'matrix', settings: { homeserverUrl: 'https://matrix.org', roomId: '!r:matrix.org' }, secret: MATRIX_TOKEN });
      await add(call, { name: 'hook', kind: 'webhook', settings: { preset: 'slack' }, secret: 'https://chat.asso.example/hooks/s3cr3tw3bh00kk3y' });
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = Buffer.concat([readFileSync(core.dbPath), ...['-wal', '-shm'].map((s) => { try { return readFileSync(core.dbPath + s); } catch { return Buffer.alloc(0); } })]);
      for (const secret of [SMTP_PASSWORD, NTFY_TOKEN, MATRIX_TOKEN, 's3cr3tw3bh00kk3y']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from('chat.asso.example'))).toBe(true);
      const sources = core.db.prepare('select json_extract(secret_source, ?) as kind, secret_sealed is not null as sealed from channels').all('$.kind') as { kind: string; sealed: number }[];
      expect(sources.every((s) => s.kind === (keychain ? 'stored' : 'file') && s.sealed === (keychain ? 1 : 0))).toBe(true);
      const service = new ChannelsService(core);
      expect(service.list().map((c) => service.forSending(c.id).secret).sort()).toEqual([MATRIX_TOKEN, NTFY_TOKEN, 'https://chat.asso.example/hooks/s3cr3tw3bh00kk3y', SMTP_PASSWORD].sort());
    }
  });
});
