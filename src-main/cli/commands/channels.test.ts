import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelTestResult } from '../../contract';
import { closedPort, json, startHttp, startSmtp, type HttpReceiver, type SmtpReceiver } from '../../core/alerts/alert-test-receivers';
import { runCaptured } from '../../testing/cli-captured';
import { tempDataDir } from '../../testing/temp-core';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
  http.requests.length = 0;
});
const dir = (): string => {
  const { dir: d, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return d;
};
const cli = (dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCaptured(['--data-dir', dataDir, ...args], { env });

let smtp: SmtpReceiver;
let http: HttpReceiver;
beforeAll(async () => {
  smtp = await startSmtp({ user: 'relay', password: 'mot-de-passe-smtp' });
  http = await startHttp();
  http.routes.set('/hooks/', json(200, {}));
  http.routes.set('/_matrix/', json(401, { errcode: 'M_UNKNOWN_TOKEN' }));
});
afterAll(async () => {
  await Promise.all([smtp.close(), http.close()]);
});

describe('pelote channels', () => {
  it('add (secrets from a file or the environment), list, test and remove, with --json and exit codes', async () => {
    const data = dir();
    const passwordFile = join(dir(), 'smtp.password');
    writeFileSync(passwordFile, 'mot-de-passe-smtp\n');
    const mail = await cli(data, ['--json', 'channels', 'add', 'email', 'Courriel', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none',
      '--username', 'relay', '--password-file', passwordFile, '--from', 'pelote@asso.example', '--to', 'a@asso.example,b@asso.example', '--to', 'c@asso.example']);
    expect(mail.code).toBe(0);
    expect(JSON.parse(mail.stdout)).toMatchObject({ name: 'Courriel', kind: 'email', hasSecret: true, settings: { to: ['a@asso.example', 'b@asso.example', 'c@asso.example'] } });

    const hook = await cli(data, ['channels', 'add', 'webhook', 'Mattermost', '--preset', 'slack'], { PELOTE_CHANNEL_SECRET: `${http.url}/hooks/k3y` });
    expect(hook.code).toBe(0);
    expect(hook.stdout).toContain('pelote channels test Mattermost');
    const matrixToken = join(dir(), 'matrix.token');
    writeFileSync(matrixToken, 'syt_revoked');
    expect((await cli(data, ['channels', 'add', 'matrix', 'Salon', '--homeserver', http.url, '--room', '!abc:asso.example', '--token-file', matrixToken])).code).toBe(0);

    const sent = await cli(data, ['--json', 'channels', 'test', 'courriel']);
    expect(sent.code).toBe(0);
    expect((JSON.parse(sent.stdout) as ChannelTestResult).ok).toBe(true);
    expect(smtp.mails.at(-1)?.raw).toMatch(/^Subject: Pelote : message de test$/m);
    expect((await cli(data, ['channels', 'test', 'Mattermost'])).stdout).toBe('Test message sent through Mattermost.\n');
    expect(JSON.parse(http.requests.at(-1)?.body ?? '')).toEqual({ text: expect.stringContaining('Pelote : message de test') as string });

    const refused = await cli(data, ['channels', 'test', 'Salon']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('channel_bad_token');

    const list = await cli(data, ['--json', 'channels', 'list']);
    expect(list.code).toBe(1);
    const channels = JSON.parse(list.stdout) as Channel[];
    expect(channels.map((c) => [c.name, c.failingSince === null])).toEqual([['Courriel', true], ['Mattermost', true], ['Salon', false]]);
    expect(JSON.stringify(channels)).not.toContain('k3y');
    expect((await cli(data, ['channels', 'list'])).stdout).toMatch(/^Salon {2}matrix .* FAILING since .*channel_bad_token/m);

    expect((await cli(data, ['--json', 'channels', 'remove', 'Salon'])).code).toBe(0);
    const after = await cli(data, ['channels', 'list']);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('Salon');
    const gone = await cli(data, ['--json', 'channels', 'test', 'Salon']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stderr)).toMatchObject({ ok: false, error: { code: 'channel_not_found' } });
  });

  it('usage mistakes exit 2 and name the option; a refused connection exits 1', async () => {
    const data = dir();
    const bad = await cli(data, ['channels', 'add', 'ntfy', 'Alertes', '--url', 'ftp://ntfy.example', '--topic', 'mes alertes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url: an http:// or https:// address');
    expect(bad.stderr).toContain('--topic: letters, digits');
    const room = await cli(data, ['channels', 'add', 'matrix', 'Salon', '--homeserver', 'https://matrix.org', '--room', '#salon:matrix.org'], { PELOTE_CHANNEL_SECRET: 't' });
    expect(room.code).toBe(2);
    expect(room.stderr).toContain('--room: a room id');
    const mail = await cli(data, ['channels', 'add', 'email', 'Courriel', '--host', 'smtp.asso.example', '--from', 'pelote', '--to', 'a@asso.example', '--username', 'u']);
    expect(mail.code).toBe(2);
    expect(mail.stderr).toContain('--from: an e-mail address');
    expect(mail.stderr).toContain('--password-file (or $PELOTE_CHANNEL_SECRET)');
    expect((await cli(data, ['channels', 'add', 'ntfy', 'x', '--url', 'https://ntfy.sh', '--topic', 't', '--password-file', '/x'])).code).toBe(2);
    expect((await cli(data, ['channels', 'add', 'sms', 'x'])).code).toBe(2);
    expect((await cli(data, ['channels', 'frobnicate'])).code).toBe(2);
    expect((await cli(data, ['channels', 'add', 'ntfy', 'x', '--token', 'secret'])).code).toBe(2);
    // Nothing was written by the mistakes.
    expect(JSON.parse((await cli(data, ['--json', 'channels', 'list'])).stdout)).toEqual([]);

    expect((await cli(data, ['channels', 'add', 'ntfy', 'Fermé', '--url', `http://127.0.0.1:${await closedPort()}`, '--topic', 'alertes'])).code).toBe(0);
    const closed = await cli(data, ['--json', 'channels', 'test', 'Fermé']);
    expect(closed.code).toBe(1);
    expect(JSON.parse(closed.stdout)).toMatchObject({ ok: false, error: { code: 'channel_unreachable' }, channel: { failingSince: expect.any(String) as string } });
  });

  it('the secret file is read, never echoed; the database holds no secret', async () => {
    const data = dir();
    const tokenFile = join(dir(), 'ntfy.token');
    writeFileSync(tokenFile, 'tk_secret_token_1234');
    const added = await cli(data, ['--json', 'channels', 'add', 'ntfy', 'Alertes', '--url', 'https://ntfy.sh', '--topic', 'alertes', '--token-file', tokenFile]);
    expect(added.code).toBe(0);
    expect(added.stdout + added.stderr).not.toContain('tk_secret_token_1234');
    expect(readFileSync(join(data, 'pelote.sqlite3')).includes(Buffer.from('tk_secret_token_1234'))).toBe(false);
  });
});
