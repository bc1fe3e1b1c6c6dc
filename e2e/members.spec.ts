import type { Download, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { callOk } from './support/raw-call';
import type { ServedPelote } from './support/serve';
import { servedSession, screenshot as shoot } from './support/session';

/** Enough members around Hélène that the list screenshots look like a real register. */
/** When some of them paid their yearly dues (rolling 12 months), by their index. */
const PAID_DAYS_AGO = [100, 350, 380, 800, 450];
const NEIGHBOURS = ['Martin Aubert', 'Léa Bernard', 'Yann Le Goff', 'Chloé Moreau', 'Rémi Fontaine', 'Inès Garnier', 'Paul Rivière', 'Zoé Caron'];

let categoryId: string;
let heleneUrl: string;
const session = servedSession();
let served: ServedPelote;
let page: Page;
test.beforeAll(() => ({ served, page } = session));

/** The whole screen, toasts dismissed, at the viewport the spec uses. */
const screenshot = (name: string) => shoot(page, name);

async function downloaded(click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, bytes: readFileSync(await download.path()) };
}

const badge = () => page.getByTestId('status-badge').first();

test('first run, then an empty register that points to the form and to imports', async () => {
  await page.goto(served.url);
  await page.getByLabel('Association name').fill('Chatons du Bocage');
  await page.getByLabel('Your name').fill('Camille');
  await page.getByLabel('Language').selectOption('en');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();

  await expect(page.getByTestId('members-empty')).toContainText('Dues → Import');
  await expect(page.getByTestId('members-count')).toHaveText('0 members');
  const category = await callOk<{ id: string }>(page, 'categories.create', {
    category: { name: 'Individual', fee: { kind: 'fixed', amountCents: 1500 }, period: { kind: 'rolling_months', months: 12 }, graceDays: null },
  });
  categoryId = category.id;
});

test('the form validates with the contract, then creates the member', async () => {
  await page.getByTestId('member-new').click();
  await expect(page.getByRole('heading', { name: 'New member' })).toBeVisible();
  await expect(page.getByLabel('Member number')).not.toHaveValue('');

  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('error-lastName')).toHaveText('Give a first or last name, or an organisation name.');
  await page.getByLabel('Email').fill('helene@');
  await page.getByLabel('Email').blur();
  await expect(page.getByTestId('error-email')).toHaveText('This is not a valid email address.');

  await page.getByLabel('First name', { exact: true }).fill('Hélène');
  await page.getByLabel('Last name', { exact: true }).fill('Dupré');
  await page.getByLabel('Email').fill('helene@example.org');
  await page.getByLabel('Phone').fill('06 12 34 56 78');
  await page.getByLabel('Address').fill('4 chemin des Genêts');
  await page.getByLabel('Postcode').fill('35000');
  await page.getByLabel('City').fill('Rennes');
  await page.getByLabel('Country').fill('France');
  await page.getByLabel('Membership category').selectOption(categoryId);
  await page.getByLabel('Joined on').fill('2025-09-01');
  await page.getByTestId('newsletter-consent').check();
  await expect(page.getByLabel('Consent given on')).not.toHaveValue('');
  await expect(page.getByTestId('error-lastName')).toHaveCount(0);
  await screenshot('en-member-form');

  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('member-name')).toHaveText('Hélène Dupré');
  await expect(badge()).toHaveAttribute('data-status', 'never');
  await expect(page.getByTestId('fact-email')).toHaveText('helene@example.org');
  await expect(page.getByTestId('audit-trail')).toContainText('Member created');
  heleneUrl = page.url();
});

test('a second member with the same email is flagged, and can be created anyway', async () => {
  await page.getByRole('link', { name: 'All members' }).click();
  await page.getByTestId('member-new').click();
  await page.getByLabel('First name', { exact: true }).fill('Helen');
  await page.getByLabel('Last name', { exact: true }).fill('Martin');
  await page.getByLabel('Email').fill('helene@example.org');
  // Warned while typing, before any save.
  await expect(page.getByTestId('duplicate-panel')).toContainText('Hélène Dupré');
  await expect(page.getByTestId('duplicate-panel')).toContainText('same email');

  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('duplicate-panel')).toContainText('already exists');
  await screenshot('en-member-duplicate');
  await page.getByTestId('duplicate-confirm').click();
  await expect(page.getByTestId('member-name')).toHaveText('Helen Martin');
});

test('search as you type ignores accents and case; columns sort both ways', async () => {
  const honorary = await callOk<{ id: string }>(page, 'categories.create', {
    category: { name: 'Honorary', fee: { kind: 'exempt' }, period: null, graceDays: null },
  });
  for (const [index, name] of NEIGHBOURS.entries()) {
    const [firstName = '', lastName = ''] = name.split(/ (.*)/);
    const member = await callOk<{ id: string }>(page, 'members.create', {
      member: {
        number: `N-${index}`, firstName, lastName, organisationName: '', email: '', phone: '', address: '', postcode: '',
        city: index % 2 ? 'Rennes' : 'Redon', country: '', categoryId: index === 7 ? honorary.id : categoryId, joinedOn: null,
        leftOn: null, notes: '', newsletterConsent: false, newsletterConsentOn: null,
      },
    });
    // Payments long ago or recently, so the list shows every colour of status.
    const daysAgo = PAID_DAYS_AGO[index];
    if (daysAgo !== undefined) {
      const paidOn = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      await callOk(page, 'payments.record', { memberId: member.id, amountCents: 1500, paidOn, method: 'cash' });
    }
  }
  await page.getByTestId('nav-members').click();
  await expect(page.getByTestId('members-count')).toHaveText(`${NEIGHBOURS.length + 2} members`);

  await page.getByTestId('members-search').fill('helene');
  await expect(page.getByTestId('member-row').first()).toContainText('Hélène Dupré');
  await page.getByTestId('members-search').fill('DUPRE');
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await expect(page.getByTestId('members-count')).toHaveText('1 matching member');
  await page.getByTestId('members-search').fill('');
  await expect(page.getByTestId('member-row')).toHaveCount(NEIGHBOURS.length + 2);

  // By last name, ascending, until a header is clicked.
  const first = page.getByTestId('member-row').first();
  await expect(page.getByTestId('sort-name')).toHaveAttribute('aria-pressed', 'true');
  await expect(first).toContainText('Aubert');
  await page.getByTestId('sort-name').click();
  await expect(first).toContainText('Rivière');
  await page.getByTestId('sort-number').click();
  await expect(page.getByTestId('sort-name')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('sort-name').click();
  await expect(first).toContainText('Aubert');
});

test('a payment brings the member up to date; its receipt is a PDF', async () => {
  await page.getByTestId('members-search').fill('helene dupre');
  await page.getByTestId('member-row').filter({ hasText: 'Hélène Dupré' }).click();
  await expect(page.getByTestId('member-name')).toHaveText('Hélène Dupré');
  await expect(badge()).toHaveAttribute('data-status', 'never');

  await page.getByTestId('payment-new').click();
  await expect(page.locator('#payment-amount')).toHaveValue('15.00');
  await expect(page.locator('#payment-period-start')).not.toHaveValue('');
  // The core holds the fee rules: a wrong amount is refused and said next to the amount.
  await page.locator('#payment-amount').fill('20');
  await page.getByTestId('payment-save').click();
  await expect(page.getByTestId('error-payment-amount')).toContainText('€15.00');
  await page.locator('#payment-amount').fill('abc');
  await expect(page.getByTestId('error-payment-amount')).toHaveText('Enter an amount such as 15 or 12.50.');
  await page.locator('#payment-amount').fill('15');
  await page.locator('#payment-method').selectOption('cheque');
  await page.locator('#payment-reference').fill('CHQ 0042');
  await page.getByTestId('payment-save').click();

  await expect(badge()).toHaveAttribute('data-status', 'up_to_date');
  await expect(page.getByTestId('paid-until')).toContainText('Paid until');
  await expect(page.getByTestId('ledger-payment')).toContainText('€15.00');

  const { download, bytes } = await downloaded(() => page.getByTestId('payment-receipt').click());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  await expect(page.getByTestId('ledger-payment')).toContainText(/\d{4}-\d+/);
});

test('reversing the payment keeps both lines and takes the status back', async () => {
  await page.getByTestId('payment-reverse').click();
  await expect(page.getByTestId('dialog-confirm')).toBeDisabled();
  await page.getByLabel('Reason').fill('Cheque bounced');
  await page.getByTestId('dialog-confirm').click();

  await expect(badge()).toHaveAttribute('data-status', 'never');
  await expect(page.getByTestId('ledger-reversed')).toContainText('Reversed');
  await expect(page.getByTestId('ledger-reversal')).toContainText('Cheque bounced');
  await expect(page.getByTestId('ledger-reversal')).toContainText('-€15.00');
  await expect(page.getByTestId('payment-receipt')).toHaveCount(0);

  // Paid again by transfer: the page as a treasurer sees it most days.
  await page.getByTestId('payment-new').click();
  await page.locator('#payment-reference').fill('VIR-2026-118');
  await page.getByTestId('payment-save').click();
  await expect(badge()).toHaveAttribute('data-status', 'up_to_date');
  await expect(page.getByTestId('audit-trail')).toContainText('Payment reversed');
  await screenshot('en-member-page');
});

test('personal data export, delete and restore', async () => {
  const { bytes } = await downloaded(() => page.getByTestId('member-export').click());
  expect(bytes.toString('utf8')).toContain('Hélène');

  await page.getByTestId('member-delete').click();
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('deleted-notice')).toBeVisible();
  await expect(page.getByTestId('payment-new')).toHaveCount(0);
  await page.getByTestId('member-restore').click();
  await expect(page.getByTestId('deleted-notice')).toHaveCount(0);
  await expect(page.getByTestId('payment-new')).toBeVisible();
});

test('erasure asks for the name, then anonymises the member', async () => {
  await page.getByRole('link', { name: 'All members' }).click();
  await page.getByTestId('members-search').fill('helen martin');
  await page.getByTestId('member-row').filter({ hasText: 'Helen Martin' }).click();
  await page.getByTestId('member-erase').click();
  await expect(page.getByTestId('dialog-confirm')).toBeDisabled();
  await page.getByLabel('Type “Helen Martin” to confirm').fill('Helen Martin');
  await screenshot('en-member-erase');
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('member-name')).toHaveText(/^Erased member no. /);
  await expect(page.getByTestId('member-erase')).toHaveCount(0);
  await page.getByRole('link', { name: 'All members' }).click();
  await page.getByTestId('members-search').fill('');
  await expect(page.getByTestId('member-row')).toHaveCount(NEIGHBOURS.length + 2);
  await screenshot('en-members-list');
});

test('the same screens in French', async () => {
  await callOk(page, 'settings.update', { language: 'fr' });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Adhérents', level: 1 })).toBeVisible();
  await expect(page.getByTestId('members-count')).toHaveText(`${NEIGHBOURS.length + 2} adhérents`);
  await expect(page.getByTestId('status-chip-up_to_date')).toHaveText('À jour');
  await screenshot('fr-members-list');

  await page.goto(heleneUrl);
  await expect(page.getByTestId('member-name')).toHaveText('Hélène Dupré');
  await expect(page.getByTestId('ledger-reversal')).toContainText('Contre-passation');
  await expect(page.getByTestId('ledger-reversal')).toContainText('15,00');
  await screenshot('fr-member-page');

  await page.getByTestId('member-edit').click();
  await expect(page.getByRole('heading', { name: 'Modifier l’adhérent' })).toBeVisible();
  await expect(page.getByLabel('Prénom')).toHaveValue('Hélène');
  await screenshot('fr-member-form');

  await page.getByTestId('nav-members').click();
  await page.getByTestId('member-new').click();
  await page.getByLabel('Prénom').fill('Hélène');
  await page.getByLabel('Nom', { exact: true }).fill('Dupré');
  await page.getByLabel('Code postal').fill('35000');
  await expect(page.getByTestId('duplicate-panel')).toContainText('même nom et code postal');
  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('duplicate-confirm')).toHaveText('Créer quand même');
  await screenshot('fr-member-duplicate');
  await page.getByTestId('duplicate-cancel').click();
  await callOk(page, 'settings.update', { language: 'en' });
});
