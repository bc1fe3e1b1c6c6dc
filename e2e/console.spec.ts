import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { callOk, rawCall } from './support/raw-call';
import type { ServedPelote } from './support/serve';
import { servedSession, screenshot as shoot } from './support/session';

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

test('a request without the token is refused', async ({ request }) => {
  const bare = await request.get(`${served.origin}/`);
  expect(bare.status()).toBe(401);
  const wrong = await request.get(`${served.origin}/?token=not-the-token`);
  expect(wrong.status()).toBe(401);
  const asset = await request.get(`${served.origin}/index.html`);
  expect(asset.status()).toBe(401);
});

test('the API socket refuses a page that has no token', async ({ browser }) => {
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  // Same origin, but without the cookie the token grants: the upgrade must fail.
  await other.route(`${served.origin}/blank`, (route) => route.fulfill({ body: '<html></html>', contentType: 'text/html' }));
  await other.goto(`${served.origin}/blank`);
  const outcome = await other.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
  );
  expect(outcome).toBe('refused');
  await stranger.close();
});

test('first run asks for the association name and language', async () => {
  await page.goto(served.url);
  // The token moved into a cookie and out of the address bar.
  expect(page.url()).not.toContain('token=');
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
