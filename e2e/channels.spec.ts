import { expect, test } from '@playwright/test';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startSmtp, type SmtpReceiver } from '../src-main/core/alerts/alert-test-receivers';
import { closeLaptops, inBothLanguages, openLaptop, setLanguage, type Laptop } from './support/laptops';
import { completeFirstRun, dismissToasts } from './support/session';

// Settings → Notifications against `pelote serve`: an e-mail channel set up through the form reaches a real SMTP server
// on 127.0.0.1 (plain SMTP with a login: STARTTLS is the core tests' part), and an ntfy channel pointing at a closed
// loopback port shows as failing, with the reason in the UI language.
let laptop: Laptop;
let smtp: SmtpReceiver;
let closedPort = 0;

/** A loopback port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  smtp = await startSmtp({ user: 'pelote', password: 'smtp-secret-1' });
  closedPort = await freePort();
  laptop = await openLaptop(browser);
});
test.afterAll(async () => {
  await closeLaptops([laptop]);
  await smtp.close();
});
test.afterEach(() => {
  expect(laptop.errors, 'console errors').toEqual([]);
});

const subjectOf = (raw: string) => /^Subject: (.*)$/m.exec(raw)?.[1];

test('an e-mail channel added through the form: a bad address is named under its field, then a test reaches the SMTP server', async () => {
  const { page } = laptop;
  await completeFirstRun(page, laptop.served.url);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('notifications-settings-state')).toHaveText('No channel yet: alerts only show on this screen.');
  await page.getByTestId('notifications-settings-open').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByTestId('channels-empty')).toBeVisible();
  await inBothLanguages(page, 'channels-empty');

  await page.getByTestId('channel-add').click();
  await expect(page.getByTestId('channel-kind-email').getByRole('radio')).toBeChecked();
  await page.getByLabel('Name', { exact: true }).fill('Admins’ mailbox');
  await page.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Security', { exact: true }).selectOption('none');
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('25');
  await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
  await page.getByLabel('User name', { exact: true }).fill('pelote');
  await page.getByLabel('Password', { exact: true }).fill('smtp-secret-1');
  await page.getByLabel('From', { exact: true }).fill('pelote@chatons.example');
  // A bad address: named under its field when the field is left, not before.
  await page.getByLabel('To', { exact: true }).fill('admins@chatons.example, alerts@');
  await expect(page.getByTestId('error-channel-to')).toHaveCount(0);
  await page.getByLabel('To', { exact: true }).blur();
  await expect(page.getByTestId('error-channel-to')).toHaveText(/Enter one or more e-mail addresses/);
  await inBothLanguages(page, 'channel-form-error');

  // Submitting focuses the first invalid field; nothing is saved.
  await page.getByLabel('Name', { exact: true }).focus();
  await page.getByTestId('channel-submit').click();
  await expect(page.getByLabel('To', { exact: true })).toBeFocused();
  await page.getByLabel('To', { exact: true }).fill('admins@chatons.example');
  await expect(page.getByTestId('error-channel-to')).toHaveCount(0);
  await page.getByTestId('channel-submit').click();
  await expect(page.getByTestId('toast-success')).toHaveText(/Channel “Admins’ mailbox” added/);

  const card = page.locator('[data-channel="Admins’ mailbox"]');
  await expect(card.getByTestId('channel-state')).toHaveText('Not tried yet');
  await expect(card).toContainText('admins@chatons.example');
  await card.getByTestId('channel-test').click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Test message sent' })).toBeVisible();
  await expect(card.getByTestId('channel-state')).toHaveText('OK');
  expect(smtp.mails).toHaveLength(1);
  expect(smtp.mails[0]).toMatchObject({ from: 'pelote@chatons.example', to: ['admins@chatons.example'], user: 'pelote' });
  expect(subjectOf(smtp.mails[0]!.raw)).toBe('Pelote: test message');
});

test('the same name again is refused under the Name field', async () => {
  const { page } = laptop;
  // The last toast covers the header's button until it fades.
  await dismissToasts(page);
  await page.getByTestId('channel-add').click();
  await page.getByTestId('channel-kind-webhook').click();
  await page.getByLabel('Name', { exact: true }).fill('Admins’ mailbox');
  await page.getByLabel('Webhook address', { exact: true }).fill(`http://127.0.0.1:${closedPort}/hooks/abc`);
  await page.getByTestId('channel-submit').click();
  await expect(page.getByTestId('error-channel-name')).toHaveText('A notification channel is already named “Admins’ mailbox”.');
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('an ntfy channel on a closed port says it is failing, and why', async () => {
  const { page } = laptop;
  await page.getByTestId('channel-add').click();
  await page.getByTestId('channel-kind-ntfy').click();
  await page.getByLabel('Name', { exact: true }).fill('Phones');
  await page.getByLabel('Server address', { exact: true }).fill(`http://127.0.0.1:${closedPort}`);
  await page.getByLabel('Topic', { exact: true }).fill('chatons alerts');
  await page.getByLabel('Topic', { exact: true }).blur();
  await expect(page.getByTestId('error-channel-topic')).toContainText('Letters, digits, - and _ only');
  await page.getByLabel('Topic', { exact: true }).fill('chatons-alerts');
  await page.getByLabel('Access token', { exact: true }).fill('tk_secret_token');
  await inBothLanguages(page, 'channel-form-ntfy');
  await page.getByTestId('channel-submit').click();
  await expect(page.getByTestId('toast-success')).toHaveText(/Channel “Phones” added/);

  const card = page.locator('[data-channel="Phones"]');
  await card.getByTestId('channel-test').click();
  await expect(page.getByTestId('toast-error')).toContainText('The test message did not go through “Phones”');
  await expect(card.getByTestId('channel-state')).toHaveText(/^Failing since \d{1,2}:\d{2}/);
  await expect(card.getByTestId('channel-error')).toContainText(`127.0.0.1:${closedPort} could not be reached`);
  await expect(page.locator('[data-channel="Admins’ mailbox"]').getByTestId('channel-state')).toHaveText('OK');
  await inBothLanguages(page, 'channels');
  await setLanguage(page, 'fr');
  await expect(card.getByTestId('channel-state')).toHaveText(/^En échec depuis \d{1,2}:\d{2}$/);
  await expect(card.getByTestId('channel-error')).toContainText(`127.0.0.1:${closedPort} est injoignable`);
  await setLanguage(page, 'en');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('notifications-settings-state')).toHaveText('2 channels · 1 failing');
  await page.getByTestId('notifications-settings-open').click();
});

test('an edit keeps the password left empty; the test message is in the team’s language', async () => {
  const { page } = laptop;
  await page.locator('[data-channel="Admins’ mailbox"]').getByTestId('channel-edit').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit “Admins’ mailbox”');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(page.getByText('Leave empty to keep the one saved.')).toBeVisible();
  await expect(page.getByTestId('channel-kind-ntfy').getByRole('radio')).toBeDisabled();
  await inBothLanguages(page, 'channel-form-edit');
  await page.getByLabel('To', { exact: true }).fill('admins@chatons.example, treasurer@chatons.example');
  await page.getByTestId('channel-submit').click();
  await expect(page.getByTestId('toast-success')).toHaveText(/Channel “Admins’ mailbox” saved/);

  await setLanguage(page, 'fr');
  await page.locator('[data-channel="Admins’ mailbox"]').getByTestId('channel-test').click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Message de test envoyé' })).toBeVisible();
  await expect.poll(() => smtp.mails.length).toBe(2);
  expect(smtp.mails[1]!.to).toEqual(['admins@chatons.example', 'treasurer@chatons.example']);
  expect(smtp.mails[1]!.user).toBe('pelote');
  expect(subjectOf(smtp.mails[1]!.raw)).toBe('Pelote : message de test');
  await setLanguage(page, 'en');
});

test('removing a channel asks first', async () => {
  const { page } = laptop;
  const card = page.locator('[data-channel="Phones"]');
  await card.getByTestId('channel-remove').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Remove “Phones”?');
  await inBothLanguages(page, 'channel-remove', () => page.getByTestId('confirm-dialog'));
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast-success')).toHaveText(/Channel “Phones” removed/);
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('channel-card')).toHaveCount(1);
});
