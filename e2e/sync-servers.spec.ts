import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callOk } from './support/raw-call';
import { ARTIFACTS, completeFirstRun, screenshot as shoot } from './support/session';
import { closeLaptops, inBothLanguages, openLaptop, type Laptop } from './support/laptops';

// The team shares its servers and backups, not its logins nor its passwords: on B, a server and a repository made on
// A ask for B's own key and for the password from the recovery sheet. Two `pelote serve` on two data directories.
let a: Laptop;
let b: Laptop;
let shared: string;
let serverId = '';
let repositoryId = '';
let password = '';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  shared = mkdtempSync(join(tmpdir(), 'pelote-e2e-team-servers-'));
  [a, b] = await Promise.all([openLaptop(browser), openLaptop(browser)]);
});
test.afterAll(async () => {
  await closeLaptops([a, b]);
  rmSync(shared, { recursive: true, force: true });
});
test.afterEach(() => {
  expect(a.errors, 'console errors on A').toEqual([]);
  expect(b.errors, 'console errors on B').toEqual([]);
});

const garage = (auth: unknown) => ({
  server: { name: 'garage', host: '127.0.0.1', port: 9, username: 'pelote', auth, sweepIntervalSeconds: 3600, services: [{ name: 'Nextcloud', kind: 'nextcloud' }] },
});

test('A’s server, repository and job reach B through the team folder; B also named a server “garage”', async () => {
  await completeFirstRun(a.page, a.served.url);
  await completeFirstRun(b.page, b.served.url);
  await callOk(b.page, 'settings.update', { volunteerName: 'Yann' });
  const server = await callOk<{ id: string }>(a.page, 'servers.create', garage({ kind: 'key', keyPath: '/home/camille/.ssh/id_ed25519', passphrase: { kind: 'none' } }));
  serverId = server.id;
  const created = await callOk<{ repository: { id: string }; recoverySheet: { password: string } }>(a.page, 'backups.repositories.create', {
    name: 'USB disk',
    path: join(shared, 'usb', 'pelote'),
    passwordFile: null,
  });
  repositoryId = created.repository.id;
  password = created.recoverySheet.password;
  await callOk(a.page, 'backups.repositories.confirmRecoverySaved', { id: repositoryId });
  await callOk(a.page, 'backups.jobs.create', { job: { name: 'nextcloud', serverId, repositoryId, paths: ['/var/www/nextcloud'] } });
  // Offline, on its own, B gave the same name to another server.
  await callOk(b.page, 'servers.create', garage({ kind: 'agent' }));

  const folder = join(shared, 'Nextcloud', 'Pelote');
  mkdirSync(folder, { recursive: true });
  const sheet = await callOk<{ key: string }>(a.page, 'sync.create', { folder, keyFile: null });
  await callOk(a.page, 'sync.confirmSheet', {});
  await callOk(b.page, 'sync.join', { folder, key: sheet.key, keyFile: null });
  await callOk(a.page, 'sync.now', {});
});

test('on B the server asks for B’s own key: grey in the fleet, a notice and a button on its page, a hint in its form', async () => {
  const page = b.page;
  await page.getByTestId('nav-servers').click();
  await expect(page.getByTestId('server-card')).toHaveCount(2);
  const fromA = page.getByTestId('server-card').filter({ hasText: 'From another computer of the team' });
  await expect(fromA).toHaveAttribute('data-colour', 'grey');
  await fromA.click();
  const notice = page.getByTestId('server-key-missing');
  await expect(notice).toContainText('Your SSH key for this server is not set on this computer');
  await inBothLanguages(page, 'sync-server-key-missing');
  await page.getByTestId('server-set-key').click();
  await expect(page.getByTestId('server-key-missing-form')).toBeVisible();
  await expect(page.locator('#keyPath')).toHaveValue('');
  await shoot(page, 'en-sync-server-key-form', page.getByTestId('server-key-missing-form').locator('..'));
  // Not a trace of A's key path on B.
  const detail = await callOk<{ server: { auth: unknown } }>(page, 'servers.get', { id: serverId });
  expect(detail.server.auth).toEqual({ kind: 'key', keyPath: '', passphrase: { kind: 'none' } });
});

test('on B the repository asks for its password from the recovery sheet, then opens', async () => {
  const page = b.page;
  await page.getByTestId('nav-backups').click();
  const repository = page.getByTestId('repository').filter({ hasText: 'USB disk' });
  await expect(repository.getByTestId('repository-password-missing')).toContainText('Its password is not on this computer');
  await expect(repository.getByTestId('recovery-unconfirmed')).toHaveCount(0);
  await inBothLanguages(page, 'sync-repository-password-missing', () => page.getByTestId('repositories-card'));
  await repository.getByTestId('repository-provide-password').click();
  await expect(page.getByTestId('repository-dialog')).toContainText('The password of “USB disk”');
  await page.locator('#repository-password').fill('not the password');
  await page.getByTestId('repository-submit').click();
  await expect(page.getByTestId('repository-error')).toContainText('password');
  await page.locator('#repository-password').fill(password);
  await shoot(page, 'en-sync-repository-password-dialog', page.getByTestId('repository-dialog'));
  await page.getByTestId('repository-submit').click();
  await expect(page.getByTestId('toast-success')).toContainText('This computer can now use “USB disk”');
  await expect(repository.getByTestId('repository-password-missing')).toHaveCount(0);
  await expect(repository.getByTestId('repository-status')).toHaveAttribute('data-ok', 'true');
});

test('the two servers named “garage” are a conflict on both computers, with the way to resolve it', async () => {
  for (const laptop of [b, a]) {
    await callOk(laptop.page, 'sync.now', {});
    await laptop.page.getByTestId('nav-settings').click();
    await laptop.page.getByTestId('sync-settings-open').click();
    const conflict = laptop.page.locator('[data-testid="sync-conflict"][data-kind="server_name"]');
    await expect(conflict).toContainText('2 servers are named “garage”');
    await expect(conflict.getByRole('link')).toHaveAttribute('href', '#/servers');
  }
  await inBothLanguages(a.page, 'sync-conflicts-servers', () => a.page.getByTestId('sync-conflicts'));
});

test('an incident seen on A is acknowledged on B; A then shows it acknowledged by B’s volunteer', async () => {
  await callOk(a.page, 'settings.update', { volunteerName: 'Camille' });
  // garage answers nowhere (a closed loopback port): two sweeps on A open "server unreachable".
  for (let i = 0; i < 2; i++) await callOk(a.page, 'health.sweep', { serverId });
  const opened = await callOk<{ id: string }[]>(a.page, 'incidents.list', { status: 'open', serverId: null });
  expect(opened).toHaveLength(1);
  await callOk(a.page, 'sync.now', {});
  await callOk(b.page, 'sync.now', {});

  await b.page.getByTestId('nav-incidents').click();
  const onB = b.page.getByTestId('incident');
  await expect(onB).toHaveCount(1);
  await expect(onB).toHaveAttribute('data-status', 'open');
  await onB.getByTestId('incident-acknowledge').click();
  await expect(onB).toContainText('Acknowledged by Yann');
  await callOk(b.page, 'sync.now', {});
  await callOk(a.page, 'sync.now', {});

  await a.page.getByTestId('nav-incidents').click();
  const onA = a.page.getByTestId('incident');
  await expect(onA).toHaveCount(1);
  await expect(onA).toHaveAttribute('data-status', 'acknowledged');
  await expect(onA).toContainText('Acknowledged by Yann');
  await expect(onA.getByTestId('incident-timeline')).toContainText('Yann');
  await inBothLanguages(a.page, 'sync-incident-acknowledged-on-b');
});
