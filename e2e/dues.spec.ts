import type { Download, Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServedPelote } from './support/serve';
import { servedSession, screenshot as shoot } from './support/session';

const FIXTURES = join(__dirname, '../src-main/core/members/import/fixtures');
// HelloAsso's members export as Excel saves it on Windows: Windows-1252, `;`, "12,50 €", 01/09/2025.
const HELLOASSO_MEMBERS = join(FIXTURES, 'variants/helloasso-members.windows-1252.semicolon.csv');
const HELLOASSO_PAYMENTS = join(FIXTURES, 'variants/helloasso-payments.windows-1252.semicolon.csv');
const UNKNOWN_FORMAT = join(FIXTURES, 'failures/unknown-format.csv');
const BINARY = join(FIXTURES, 'failures/binary.png');
/** One member per line after the header in this fixture (no quoted line breaks). */
const MEMBERS_IN_FILE = readFileSync(HELLOASSO_MEMBERS, 'latin1').split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

const session = servedSession();
let served: ServedPelote;
let page: Page;
test.beforeAll(() => ({ served, page } = session));

const screenshot = (name: string, target?: Locator) => shoot(page, name, target);

async function openDues() {
  await page.getByTestId('nav-dues').click();
  await expect(page.getByTestId('status-tile-late')).toBeVisible();
}

async function chooseImportFile(path: string) {
  await page.getByTestId('dues-import').click();
  await page.getByTestId('import-file').setInputFiles(path);
  await expect(page.getByTestId('import-chosen')).toBeVisible();
  await page.getByTestId('import-next').click();
}

async function downloadedBytes(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

const overdueRow = (name: RegExp) => page.getByTestId('overdue-table').getByRole('row', { name });

test.describe('dues and imports', () => {
  test('first run', async () => {
    await page.goto(served.url);
    await page.getByLabel('Association name').fill('Chatons du Bocage');
    await page.getByTestId('setup-submit').click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });

  test('a category is created from the dues screen, and its form says what is wrong', async () => {
    await openDues();
    await page.getByTestId('category-new').click();
    const form = page.getByTestId('category-form');
    await form.getByTestId('category-save').click();
    await expect(form.getByText('This field is required.')).toBeVisible();
    await expect(form.getByText('Enter an amount such as 12.50.')).toBeVisible();

    // The name HelloAsso's file uses as its tariff: the import will put those members in this category.
    await form.getByLabel('Name', { exact: true }).fill('Adhésion individuelle');
    await form.getByLabel('Amount', { exact: true }).fill('12,50');
    await form.getByLabel('Period', { exact: true }).selectOption('calendar_year');
    await form.getByTestId('category-save').click();
    await expect(page.getByTestId('toast-success').last()).toContainText('Category “Adhésion individuelle” created');
    const row = page.getByTestId('category-row').filter({ hasText: 'Adhésion individuelle' });
    await expect(row).toContainText('€12.50 per period');
    await expect(row).toContainText('Calendar year (January to December)');
  });

  test('a file that is not a CSV is named as such, and an unknown layout asks for its columns', async () => {
    await chooseImportFile(BINARY);
    await expect(page.getByTestId('import-problem')).toContainText('binary.png is not a CSV file');
    await expect(page.getByTestId('import-problem')).toContainText('save it as “CSV UTF-8”');
    await screenshot('en-import-problem');

    await page.getByTestId('import-file').setInputFiles(UNKNOWN_FORMAT);
    await page.getByTestId('import-next').click();
    const mapping = page.getByTestId('import-mapping');
    await expect(mapping).toBeVisible();
    await expect(mapping.getByRole('columnheader', { name: 'Produit' })).toBeVisible();
    await expect(mapping.getByRole('cell', { name: 'Café' })).toBeVisible();
    // No column holds a name: the preview cannot be asked for yet.
    await expect(page.getByTestId('import-mapping-next')).toBeDisabled();
    await page.getByLabel('Last name', { exact: true }).selectOption({ label: 'A — Produit' });
    await expect(page.getByTestId('import-mapping-next')).toBeEnabled();
    await screenshot('en-import-mapping');
    // The mapping is what the preview reads the file with; nothing is written until Import.
    await page.getByTestId('import-mapping-next').click();
    await expect(page.getByTestId('import-detected-format')).toHaveText('Other CSV (choose the columns)');
    await expect(page.getByTestId('import-rows')).toContainText('Café');
    await page.getByRole('link', { name: 'Back to dues' }).click();
  });

  test('a HelloAsso export saved by Excel is previewed, then imported', async () => {
    await chooseImportFile(HELLOASSO_MEMBERS);
    await expect(page.getByTestId('import-preview')).toBeVisible();
    await expect(page.getByTestId('import-count-create')).toContainText(`${MEMBERS_IN_FILE}members to create`);
    await expect(page.getByTestId('import-count-error')).toContainText('0rows with errors');
    await expect(page.getByTestId('import-detected-format')).toHaveText('HelloAsso (members list)');
    await expect(page.getByTestId('import-preview')).toContainText('Windows-1252 (Excel on Windows)');
    await expect(page.getByTestId('import-preview')).toContainText('Semicolon (;)');
    // Accents survive the Windows-1252 file.
    await expect(page.getByTestId('import-rows')).toContainText('Hélène Dupré-Lefèvre');
    await expect(page.getByTestId('import-rows')).toContainText('Zoë O');
    await screenshot('en-import-preview');

    await page.getByTestId('import-commit').click();
    await expect(page.getByTestId('import-done')).toContainText(`${MEMBERS_IN_FILE} members created`);
  });

  test('importing the same file again changes nothing', async () => {
    await page.getByTestId('import-again').click();
    await page.getByTestId('import-file').setInputFiles(HELLOASSO_MEMBERS);
    await page.getByTestId('import-next').click();
    await expect(page.getByTestId('import-count-create')).toContainText('0members to create');
    await expect(page.getByTestId('import-count-unchanged')).toContainText(`${MEMBERS_IN_FILE}unchanged`);
    await expect(page.getByTestId('import-count-payments')).toContainText('0payments to record');
    await expect(page.getByTestId('import-nothing')).toBeVisible();
    await expect(page.getByTestId('import-commit')).toBeDisabled();
  });

  test('the dashboard counts the members and draws the income', async () => {
    await openDues();
    const tileCount = async (status: string) => Number(await page.getByTestId(`status-tile-${status}`).locator('.status-tile-count').innerText());
    const overdue = (await tileCount('late')) + (await tileCount('lapsed'));
    expect(overdue).toBeGreaterThan(0);
    await expect(page.getByTestId('overdue-table').locator('tbody tr')).toHaveCount(overdue);
    // The free tariff became an exempt category.
    expect(await tileCount('exempt')).toBe(1);
    // Payments from the file are in 2024 and 2025: the yearly chart draws their bars.
    await expect(page.getByTestId('chart-by-year').locator('.recharts-bar-rectangle').first()).toBeVisible();
    expect(await page.getByTestId('chart-by-year').locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
  });

  test('a category in use cannot be deleted', async () => {
    const row = page.getByTestId('category-row').filter({ hasText: 'Adhésion individuelle' });
    await row.getByTestId('category-delete').click();
    await row.getByTestId('category-confirm-delete').click();
    await expect(page.getByTestId('toast-error').last()).toContainText('Members using this category: 2.');
    await expect(row).toBeVisible();
    await screenshot('en-dues-categories', page.getByTestId('categories-card'));
  });

  test('the selected late members are exported, and their addresses copied', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('overdue-select-all').check();
    await expect(page.getByTestId('overdue-selected')).toHaveText(/^[1-9]\d* selected$/);

    const [selection] = await Promise.all([page.waitForEvent('download'), page.getByTestId('overdue-export').click()]);
    expect(selection.suggestedFilename()).toMatch(/^late-members-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await downloadedBytes(selection);
    expect([...bytes.subarray(0, 3)]).toEqual(UTF8_BOM);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('No.;Name;Email;Dues;Paid until');
    expect(lines.find((line) => line.includes('Hélène Dupré-Lefèvre'))).toMatch(/;helene\.dupre@example\.org;(Late|Lapsed);31\/12\/2025$/);

    await page.getByRole('button', { name: 'Copy emails' }).click();
    await expect(page.getByTestId('toast-success').last()).toContainText('email addresses copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('helene.dupre@example.org');
  });

  test('the core exports are French spreadsheets', async () => {
    const [members] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-members').click()]);
    const bytes = await downloadedBytes(members);
    expect([...bytes.subarray(0, 3)]).toEqual(UTF8_BOM);
    const [header, ...rows] = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(header).toContain(';');
    expect(header?.split(';')).toContain('Email');
    expect(rows.some((row) => row.includes('Dupré-Lefèvre;Hélène'))).toBe(true);
  });

  test('a renewal is recorded for the selected members at once', async () => {
    await screenshot('en-dues-dashboard');
    await page.getByTestId('overdue-renew').click();
    const form = page.getByTestId('renewal-form');
    await expect(form.getByLabel('Payment date')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
    // D’Arcy's category (a HelloAsso tariff paid freely) has no fixed fee: without an amount the core refuses.
    await form.getByLabel('Payment method').selectOption('cheque');
    await form.getByLabel('Reference').fill('Remise 12');
    await form.getByTestId('renewal-submit').click();
    await expect(page.getByTestId('toast-error').last()).toContainText('Give an amount');

    // Without her, every member has a category fee: a blank amount takes it.
    await overdueRow(/D’Arcy/).getByRole('checkbox').uncheck();
    const renewed = await page.getByTestId('overdue-table').locator('tbody tr.selected').count();
    await form.getByTestId('renewal-submit').click();
    await expect(page.getByTestId('toast-success').last()).toContainText(`Renewal recorded for ${renewed} members`);
    await expect(page.getByTestId('renewal-form')).toBeHidden();
    await expect(page.getByTestId('overdue-table').locator('tbody tr')).toHaveCount(1);
    await expect(overdueRow(/D’Arcy/)).toBeVisible();
    // This year's income now has a bar.
    await expect(page.getByTestId('chart-by-month').locator('.recharts-bar-rectangle').first()).toBeVisible();
    await expect(page.getByTestId('totals-by-method')).toContainText('Cheque');
  });

  test('the dues period and grace days are association settings', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByLabel('Dues period').selectOption('rolling_months');
    await page.getByLabel('Number of months').fill('0');
    await expect(page.getByText('Enter a number of months between 1 and 120.')).toBeVisible();
    await expect(page.getByTestId('settings-save')).toBeDisabled();
    await page.getByLabel('Number of months').fill('6');
    await page.getByLabel('Grace period (days)').fill('15');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('toast-success').last()).toContainText('Settings saved');
    await page.reload();
    await expect(page.getByLabel('Dues period')).toHaveValue('rolling_months');
    await expect(page.getByLabel('Number of months')).toHaveValue('6');
    await expect(page.getByLabel('Grace period (days)')).toHaveValue('15');
    // Back to the calendar year, so the rest reads as a French association expects.
    await page.getByLabel('Dues period').selectOption('calendar_year');
    await page.getByTestId('settings-save').click();
    await expect(page.getByLabel('Dues period')).toHaveValue('calendar_year');
  });

  test('in French', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByTestId('settings-save').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réglages');

    await page.getByTestId('nav-dues').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cotisations');
    await expect(page.getByTestId('chart-by-year')).toBeVisible();
    await expect(page.getByTestId('category-row').filter({ hasText: 'Adhésion individuelle' })).toContainText(/12,50\s€ par période/);
    await screenshot('fr-dues-dashboard');
    await page.getByTestId('category-row').filter({ hasText: 'Adhésion individuelle' }).getByRole('button', { name: /^Modifier/ }).click();
    await expect(page.getByTestId('category-form')).toBeVisible();
    await expect(page.getByTestId('category-form').getByLabel('Montant')).toHaveValue('12,50');
    await screenshot('fr-dues-categories', page.getByTestId('categories-card'));
    await page.getByTestId('category-form').getByRole('button', { name: 'Annuler' }).click();

    await chooseImportFile(UNKNOWN_FORMAT);
    await expect(page.getByTestId('import-mapping')).toContainText('Quelle colonne contient quoi ?');
    await screenshot('fr-import-mapping');
    await page.getByRole('link', { name: 'Retour aux cotisations' }).click();

    // HelloAsso's payments export: a ticket sale and a refunded payment are reported, not imported.
    await chooseImportFile(HELLOASSO_PAYMENTS);
    await expect(page.getByTestId('import-detected-format')).toHaveText('HelloAsso (paiements)');
    await expect(page.getByTestId('import-issues')).toContainText('Ignorée : ce n’est pas une adhésion (« Billetterie »).');
    await expect(page.getByTestId('import-issues')).toContainText('Ignorée : le paiement n’est pas abouti (« Remboursé »).');
    await screenshot('fr-import-preview');
  });
});
