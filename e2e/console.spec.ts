import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchConsole } from './support/console-errors';
import { callOk, rawCall } from './support/raw-call';
import type { ServedPelote } from './support/serve';
import { servedSession, screenshot as shoot } from './support/session';
import { CONTENT_SECURITY_POLICY } from '../src-main/contract/csp';

const SECTIONS = ['members', 'dues', 'servers', 'backups', 'incidents', 'settings', 'about'] as const;
const HEADINGS = {
  en: { members: 'Members', dues: 'Dues', servers: 'Servers', backups: 'Backups', incidents: 'Incidents', settings: 'Settings', about: 'About' },
  fr: { members: 'Adhérents', dues: 'Cotisations', servers: 'Serveurs', backups: 'Sauvegardes', incidents: 'Incidents', settings: 'Réglages', about: 'À propos' },
};

const session = servedSession();
let served: ServedPelote;
let page: Page;
test.beforeAll(() => ({ served, page } = session));

const screenshot = (name: string) => shoot(page, name);
const accessKey = () => new URL(served.url).hash.slice('#token='.length);

test('without the token there is no data: the shell is public code, served as built', async ({ request }) => {
  const shell = readFileSync(join(__dirname, '..', 'out', 'renderer', 'index.html'), 'utf8');
  // The policy rides in the page itself too, for a window that loads it without the header.
  expect(shell).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replaceAll("'", '&#39;')}">`);
  const port = new URL(served.origin).port;
  for (const headers of [{}, { cookie: `pelote_token_${port}=${accessKey()}` }] as Record<string, string>[]) {
    for (const path of ['/', '/?token=not-the-token', `/?token=${accessKey()}`]) {
      const response = await request.get(`${served.origin}${path}`, { headers, maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(response.headers()['set-cookie'], path).toBeUndefined();
      expect(await response.text(), path).toBe(shell);
    }
  }
});

test('the API socket refuses a page that has no token, and the page says where to find it', async ({ browser }) => {
  for (const [language, locale, words] of [
    ['en', 'en-GB', 'Open the address that “pelote serve” printed'],
    ['fr', 'fr-FR', 'Ouvrez l’adresse que « pelote serve » a affichée'],
  ] as const) {
    const stranger = await browser.newContext({ locale });
    // The cookie the host used to hand out: worth nothing now.
    await stranger.addCookies([{ name: `pelote_token_${new URL(served.origin).port}`, value: accessKey(), url: served.origin }]);
    const other = await stranger.newPage();
    const errors = watchConsole(other);
    await other.goto(`${served.origin}/`);
    await expect(other.getByRole('alert')).toContainText(words);
    await shoot(other, `${language}-no-access-key`);

    // A socket whose first message is not the key gets nothing, then is closed.
    const outcome = await other.evaluate(
      () =>
        new Promise<{ code: number; messages: number }>((resolve) => {
          let messages = 0;
          const ws = new WebSocket(`ws://${location.host}/api`);
          ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'settings.get', args: {} }));
          ws.onmessage = () => (messages += 1);
          ws.onclose = (event) => resolve({ code: event.code, messages });
        }),
    );
    expect(outcome).toEqual({ code: 4401, messages: 0 });
    expect(errors).toEqual([]);
    await stranger.close();
  }
});

test('a wrong token is refused, and taken out of the address bar', async ({ browser }) => {
  const stranger = await browser.newContext({ locale: 'en-GB' });
  const other = await stranger.newPage();
  await other.goto(`${served.origin}/#token=not-the-token`);
  await expect(other.getByRole('alert')).toContainText('Open the address that “pelote serve” printed');
  expect(other.url()).not.toContain('token');
  expect(await other.evaluate(() => sessionStorage.length)).toBe(0);
  await stranger.close();
});

test('first run asks for the association name and language', async () => {
  await page.goto(served.url);
  // The page keeps the token for this tab and takes it out of the address bar.
  expect(page.url()).not.toContain('token');
  await expect(page.getByRole('heading', { name: 'Welcome to Pelote' })).toBeVisible();
  await screenshot('en-setup');

  await page.getByTestId('setup-submit').click();
  await expect(page.getByText('This field is required.')).toBeVisible();

  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { name: 'Bienvenue dans Pelote' })).toBeVisible();
  await screenshot('fr-setup');
  await page.getByLabel('Langue').selectOption('en');

  await page.getByLabel('Association name').fill('Chatons du Bocage');
  await page.getByLabel('Your name').fill('Hélène');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  await expect(page.locator('.brand-association')).toHaveText('Chatons du Bocage');
});

test('every section opens, in English', async () => {
  for (const section of SECTIONS) {
    await page.getByTestId(`nav-${section}`).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADINGS.en[section]);
    await screenshot(`en-${section}`);
  }
  await expect(page.getByTestId('about-data-dir')).toHaveText(served.dataDir);
});

test('a changed setting is kept across a reload', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByLabel('Postal address').fill('12 rue des Lilas\n35000 Rennes');
  await page.getByLabel('Fiscal year starts in').selectOption('9');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('toast-success')).toHaveText(/Settings saved/);

  await page.reload();
  await expect(page.getByLabel('Postal address')).toHaveValue('12 rue des Lilas\n35000 Rennes');
  await expect(page.getByLabel('Fiscal year starts in')).toHaveValue('9');
});

test('an empty association name cannot be saved', async () => {
  await page.getByLabel('Association name').fill('   ');
  await expect(page.getByText('This field is required.')).toBeVisible();
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await page.getByTestId('settings-cancel').click();
  await expect(page.getByLabel('Association name')).toHaveValue('Chatons du Bocage');
});

test('an invalid call is refused with invalid_argument and changes nothing', async () => {
  const refused = await rawCall(page, 'settings.update', { fiscalYearStartMonth: 13, associationName: 'Hacked' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  const unknown = await rawCall(page, 'settings.dropEverything', {});
  expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });

  const current = await callOk<{ associationName: string; fiscalYearStartMonth: number }>(page, 'settings.get', {});
  expect(current.associationName).toBe('Chatons du Bocage');
  expect(current.fiscalYearStartMonth).toBe(9);
});

test('a notification without browser permission shows as a toast', async () => {
  await page.getByTestId('test-notification').click();
  await expect(page.getByTestId('toast-info')).toContainText('Notifications work');
});

test('switching to French translates every section and is kept', async () => {
  await page.getByLabel('Language').selectOption('fr');
  await page.getByTestId('settings-save').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réglages');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réglages');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  for (const section of SECTIONS) {
    await page.getByTestId(`nav-${section}`).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADINGS.fr[section]);
    await screenshot(`fr-${section}`);
  }
});

test('and back to English', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByLabel('Langue').selectOption('en');
  await page.getByTestId('settings-save').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
});
