import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callOk } from './support/raw-call';
import { ARTIFACTS, completeFirstRun, screenshot as shoot } from './support/session';
import { closeLaptops, inBothLanguages, openLaptop, type Laptop } from './support/laptops';

// A repository's password shared with the team when its creator ticks the box: B then uses the repository without the
// recovery sheet and says where its password came from; A can stop sharing. Two `pelote serve`, one team folder.
let a: Laptop;
let b: Laptop;
let shared: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  shared = mkdtempSync(join(tmpdir(), 'pelote-e2e-team-password-'));
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

test('outside a team the new repository form does not offer sharing', async () => {
  await completeFirstRun(a.page, a.served.url);
  await completeFirstRun(b.page, b.served.url);
  await a.page.getByTestId('nav-backups').click();
  await a.page.getByTestId('repository-create').click();
  await expect(a.page.getByTestId('repository-dialog')).toBeVisible();
  await expect(a.page.getByTestId('repository-share-on-create')).toHaveCount(0);
  await a.page.getByRole('button', { name: 'Cancel' }).click();
});

test('in a team, A creates a repository with its password shared', async () => {
  const folder = join(shared, 'team');
  mkdirSync(folder, { recursive: true });
  const sheet = await callOk<{ key: string }>(a.page, 'sync.create', { folder, keyFile: null });
  await callOk(a.page, 'sync.confirmSheet', {});
  await callOk(b.page, 'sync.join', { folder, key: sheet.key, keyFile: null });
  // The shell learns it is in a team.
  await a.page.reload();
  const page = a.page;
  await page.getByTestId('nav-backups').click();
  await page.getByTestId('repository-create').click();
  await page.locator('#repository-name').fill('USB disk');
  await page.locator('#repository-path').fill(join(shared, 'usb'));
  await page.getByTestId('repository-share-on-create').check();
  await inBothLanguages(page, 'sync-repository-share-create', () => page.getByTestId('repository-dialog'));
  await page.getByTestId('repository-submit').click();
  await page.getByTestId('recovery-saved-check').check();
  await page.getByTestId('recovery-confirm-button').click();
  await page.getByTestId('nav-backups').click();
  const repository = page.getByTestId('repository').filter({ hasText: 'USB disk' });
  await expect(repository.getByTestId('repository-sharing')).toHaveAttribute('data-shared', 'true');
  await expect(repository.getByTestId('repository-share')).toBeChecked();
  await expect(repository.getByTestId('repository-status')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await inBothLanguages(page, 'sync-repository-shared', () => page.getByTestId('repositories-card'));
});

test('on B the password arrived: the repository opens without the recovery sheet, and says so', async () => {
  await callOk(a.page, 'sync.now', {});
  await callOk(b.page, 'sync.now', {});
  const page = b.page;
  await page.reload();
  await page.getByTestId('nav-backups').click();
  const repository = page.getByTestId('repository').filter({ hasText: 'USB disk' });
  await expect(repository.getByTestId('repository-password-missing')).toHaveCount(0);
  await expect(repository.getByTestId('repository-password-received')).toContainText('Password received from the team');
  // restic opens it with the received password (slow on a busy machine).
  await expect(repository.getByTestId('repository-status')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await inBothLanguages(page, 'sync-repository-password-received', () => page.getByTestId('repositories-card'));
});

test('A stops sharing: B keeps its copy', async () => {
  const repository = a.page.getByTestId('repository').filter({ hasText: 'USB disk' });
  // A click, not uncheck(): the box follows the answer, not the click.
  await repository.getByTestId('repository-share').click();
  await expect(a.page.getByTestId('toast-success')).toContainText('no longer shared');
  await expect(repository.getByTestId('repository-sharing')).toHaveAttribute('data-shared', 'false');
  await shoot(a.page, 'en-sync-repository-share-stopped', a.page.getByTestId('repositories-card'));
  await callOk(a.page, 'sync.now', {});
  await callOk(b.page, 'sync.now', {});
  const onB = await callOk<{ passwordShared: boolean; passwordSource: { kind: string } }[]>(b.page, 'backups.repositories.list', {});
  expect(onB).toMatchObject([{ passwordShared: false, passwordSource: { kind: 'file' } }]);
});
