import { expect, test } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_MEMBER_INPUT } from '../src-main/contract/members';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { callOk } from './support/raw-call';
import { ARTIFACTS, completeFirstRun } from './support/session';
import { closeLaptops, inBothLanguages, openLaptop, openSyncPage, type Laptop } from './support/laptops';

// A team folder on the association's server, joined from a laptop that knows no server yet: Yann gives his SSH key and
// the server's host key fingerprint the team gave him. The server is the sshd fixture on 127.0.0.1.
let a: Laptop;
let b: Laptop;
let sshd: SshdFixture;
let keys: string;
let folder = '';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sshd = await startSshd();
  keys = mkdtempSync(join(tmpdir(), 'pelote-e2e-keys-'));
  const dir = join(sshd.homeDir, 'pelote');
  await mkdir(dir);
  const home = await stat(sshd.homeDir);
  await chown(dir, home.uid, home.gid);
  folder = `ssh://${sshd.username}@127.0.0.1:${sshd.port}${dir}`;
  [a, b] = await Promise.all([openLaptop(browser), openLaptop(browser)]);
});
test.afterAll(async () => {
  await closeLaptops([a, b]);
  await sshd.stop();
  rmSync(keys, { recursive: true, force: true });
});
test.afterEach(() => {
  expect(a.errors, 'console errors on A').toEqual([]);
  expect(b.errors, 'console errors on B').toEqual([]);
});

test('B joins through a server it does not know with its key and the fingerprint; the status shows the folder’s size', async () => {
  await completeFirstRun(a.page, a.served.url);
  await completeFirstRun(b.page, b.served.url);
  await callOk(b.page, 'settings.update', { volunteerName: 'Yann' });
  const server = await callOk<{ id: string }>(a.page, 'servers.create', {
    server: { name: 'garage', host: '127.0.0.1', port: sshd.port, username: sshd.username, auth: { kind: 'key', keyPath: sshd.privateKeyPath, passphrase: { kind: 'none' } } },
  });
  await callOk(a.page, 'servers.acceptHostKey', { id: server.id, fingerprint: sshd.hostKeyFingerprint });
  await callOk(a.page, 'members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '1', firstName: 'Hélène', lastName: 'Roux' } });
  const sheet = await callOk<{ key: string }>(a.page, 'sync.create', { folder, keyFile: null });
  await callOk(a.page, 'sync.confirmSheet', {});
  const identity = join(keys, 'id_yann');
  copyFileSync(sshd.privateKeyPath, identity);

  const page = b.page;
  await openSyncPage(page);
  // A local folder asks for no login; an ssh:// one offers it, optional.
  await page.locator('#join-folder').fill('/media/usb/pelote');
  await expect(page.getByTestId('sync-join-login')).toHaveCount(0);
  await page.locator('#join-folder').fill(folder);
  await expect(page.getByTestId('sync-join-login')).toContainText('Only when this computer does not know the server yet');
  await expect(page.locator('#join-passphraseKind')).toHaveCount(0);
  await page.locator('#join-key').fill(sheet.key);
  // A fingerprint without its key, then one not as ssh-keygen prints it: said before anything is sent.
  await page.locator('#join-fingerprint').fill('SHA256:abc');
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('error-join-identity')).toContainText('Give the key file that goes with this fingerprint');
  await page.locator('#join-identity').fill(identity);
  await expect(page.getByTestId('error-join-fingerprint')).toContainText('SHA256: then 43 letters');
  // The whole line of ssh-keygen -lf, with a fingerprint the server does not show: refused under the fingerprint.
  await page.locator('#join-fingerprint').fill(`256 SHA256:${'A'.repeat(43)} root@garage (ED25519)`);
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('error-join-fingerprint')).toContainText(`shows the host key ${sshd.hostKeyFingerprint}`);
  await expect(page.locator('#join-fingerprint')).toBeFocused();
  expect((await callOk<{ inTeam: boolean }>(page, 'sync.status', {})).inTeam).toBe(false);
  await inBothLanguages(page, 'sync-join-ssh-refused');

  await page.locator('#join-fingerprint').fill(`256 ${sshd.hostKeyFingerprint} root@garage (ED25519)`);
  await expect(page.locator('#join-passphraseKind')).toBeVisible();
  await inBothLanguages(page, 'sync-join-ssh');
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('sync-page')).toHaveAttribute('data-in-team', 'true');
  await expect(page.getByTestId('sync-folder-size')).toHaveText(/^\d+(\.\d+)?\skB$/);
  await inBothLanguages(page, 'sync-status-folder-size', () => page.getByTestId('sync-status'));

  // The team's server, with Yann's key on this computer.
  const detail = await callOk<{ server: { auth: unknown } }>(page, 'servers.get', { id: server.id });
  expect(detail.server.auth).toEqual({ kind: 'key', keyPath: identity, passphrase: { kind: 'none' } });
});
