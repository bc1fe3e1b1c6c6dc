import { readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../../../src-renderer/i18n/locales/en.json';
import fr from '../../../src-renderer/i18n/locales/fr.json';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { pinnedServer, serverInput } from '../health/health-test-fixtures';
import { closePoolFor, poolFor } from '../health/pool-for-core';
import { laptop, type Laptop } from './engine/sync-test-fixtures';
import { allFiles, cutSegmentWaitsUntilWhole, memberInput } from './engine/test-team';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

/** A laptop whose pool gives up quickly, closed after the test. */
const make = (name: string): Laptop => {
  const l = laptop(name);
  poolFor(l, { connectTimeoutMs: 2_000, execTimeoutMs: 5_000, backoff: { initialMs: 1, maxMs: 1 } });
  cleanups.push(async () => {
    await closePoolFor(l);
    l.cleanup();
  });
  return l;
};

const address = (fixture: SshdFixture, dir: string): string => `ssh://${fixture.username}@127.0.0.1:${fixture.port}${dir}`;

let counter = 0;
/** An empty directory in the login user's home, owned by that user (the tests may run as root). */
async function serverDir(fixture: SshdFixture): Promise<string> {
  const dir = join(fixture.homeDir, `team-${++counter}`);
  await mkdir(dir);
  const home = await stat(fixture.homeDir);
  await chown(dir, home.uid, home.gid);
  return dir;
}

describe('a team through a folder on a server, over SFTP through the SSH pool', () => {
  let sshd: SshdFixture;

  beforeAll(async () => {
    sshd = await startSshd();
  });

  afterAll(async () => {
    await sshd.stop();
  });

  it('creates the team on A, joins on B, and changes flow both ways; the server holds nothing readable', async () => {
    const dir = await serverDir(sshd);
    const folder = address(sshd, dir);
    const a = make('a');
    const b = make('b');
    await pinnedServer(a.call, sshd);
    await pinnedServer(b.call, sshd);
    await a.call('settings.update', { associationName: 'Les Chatons du Trégor', volunteerName: 'Anne' });
    const helene = await a.call('members.create', memberInput('1', 'Hélène', 'Roux'));
    const sheet = await a.call('sync.create', { folder, keyFile: null });
    expect(sheet.folder).toBe(folder);
    expect(readdirSync(dir)).toContain('team.json');

    const joined = await b.call('sync.join', { folder, key: sheet.key, keyFile: null });
    expect(joined).toMatchObject({ inTeam: true, teamId: sheet.teamId, lastError: null });
    expect((await b.call('members.get', { id: helene.id })).member.firstName).toBe('Hélène');

    const zoe = await a.call('members.create', memberInput('2', 'Zoé', 'Le Goff'));
    expect(await a.call('sync.now', {})).toMatchObject({ lastError: null, waiting: 0 });
    await b.call('sync.now', {});
    expect((await b.call('members.get', { id: zoe.id })).member.lastName).toBe('Le Goff');

    const payment = await b.call('payments.record', { memberId: helene.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    expect(await b.call('sync.now', {})).toMatchObject({ lastError: null, waiting: 0 });
    await a.call('sync.now', {});
    expect((await a.call('members.get', { id: helene.id })).payments.map((p) => p.id)).toContain(payment.id);

    // Every sync went through each laptop's one pooled connection, and ended its SFTP session.
    for (const l of [a, b]) expect(Object.values(poolFor(l).stats().connects)).toEqual([1]);
    expect(poolFor(a).stats().inFlight).toEqual({});

    const bytes = Buffer.concat(allFiles(dir).map((f) => readFileSync(f)));
    for (const word of ['Hélène', 'Roux', 'Zoé', 'Le Goff', 'Trégor', 'Anne']) expect(bytes.includes(Buffer.from(word)), word).toBe(false);
  });

  it('never applies a segment cut short on the server, and applies it once it is whole', async () => {
    const dir = await serverDir(sshd);
    const folder = address(sshd, dir);
    const a = make('a');
    const b = make('b');
    await pinnedServer(a.call, sshd);
    await pinnedServer(b.call, sshd);
    const sheet = await a.call('sync.create', { folder, keyFile: null });
    await b.call('sync.join', { folder, key: sheet.key, keyFile: null });
    await cutSegmentWaitsUntilWhole(a, b, dir);
  });

  it('with the server down, records a translated error and keeps the changes waiting', async () => {
    const doomed = await startSshd();
    try {
      const a = make('a');
      await pinnedServer(a.call, doomed);
      await a.call('sync.create', { folder: address(doomed, await serverDir(doomed)), keyFile: null });
      await a.call('members.create', memberInput('4', 'Maëlle', 'Guivarc’h'));
      await doomed.kill();
      const offline = await a.call('sync.now', {});
      const code = offline.lastError?.code ?? '';
      expect(code).toMatch(/^(ssh_\w+|sync_folder_unreachable)$/);
      expect(en.errors).toHaveProperty(code);
      expect(fr.errors).toHaveProperty(code);
      expect(offline.waiting).toBeGreaterThan(0);
      expect(poolFor(a).stats().inFlight).toEqual({});
    } finally {
      await doomed.stop();
    }
  });

  it('refuses a folder on a server Pelote does not know, or whose host key is not accepted', async () => {
    const dir = await serverDir(sshd);
    const c = make('c');
    const unknown = { code: 'sync_folder_server_unknown' };
    await expect(c.call('sync.create', { folder: address(sshd, dir), keyFile: null })).rejects.toMatchObject(unknown);
    // The same host and user on another port, and a deleted server, are not it either.
    await pinnedServer(c.call, sshd, { name: 'other port', port: sshd.port + 1 });
    const deleted = await pinnedServer(c.call, sshd, { name: 'deleted' });
    await c.call('servers.delete', { id: deleted.id });
    await expect(c.call('sync.join', { folder: address(sshd, dir), key: 'AAAA', keyFile: null })).rejects.toMatchObject(unknown);
    await expect(c.call('sync.create', { folder: `ssh://${sshd.username}@127.0.0.1:${sshd.port}/srv/-x`, keyFile: null })).rejects.toMatchObject({
      code: 'sync_folder_address_invalid',
    });
    // Known, but its host key was never accepted: nothing is written.
    await c.call('servers.create', { server: serverInput(sshd, { name: 'not pinned' }) });
    await expect(c.call('sync.create', { folder: address(sshd, dir), keyFile: null })).rejects.toMatchObject({ code: 'ssh_host_key_unknown' });
    expect(readdirSync(dir)).toEqual([]);
    expect((await c.call('sync.status', {})).inTeam).toBe(false);
  });
});
