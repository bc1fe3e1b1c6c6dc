import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_MEMBER_INPUT } from '../src-main/contract/members';
import { callOk, rawCall } from './support/raw-call';
import { ARTIFACTS, completeFirstRun, screenshot as shoot } from './support/session';
import { closeLaptops, inBothLanguages, openLaptop, openSyncPage, setLanguage, syncNow, type Laptop } from './support/laptops';

// Two laptops of one association — two `pelote serve` on two data directories — and the folder they share (here a
// temporary directory standing for a folder the Nextcloud client keeps in step). Camille creates the team, Yann joins.
let a: Laptop;
let b: Laptop;
let shared: string;
let teamFolder: string;
/** The team key, as the sheet on A showed it. */
let teamKey = '';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  shared = mkdtempSync(join(tmpdir(), 'pelote-e2e-team-'));
  teamFolder = join(shared, 'Nextcloud', 'Pelote');
  mkdirSync(teamFolder, { recursive: true });
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

const individual = { name: 'Individual', fee: { kind: 'fixed', amountCents: 1500 }, period: { kind: 'rolling_months', months: 12 }, graceDays: null };
const member = (number: string, firstName: string, lastName: string, email = '') => ({ member: { ...EMPTY_MEMBER_INPUT, number, firstName, lastName, email } });

test('not in a team: no indicator, and Settings leads to a page that offers to create or join', async () => {
  await completeFirstRun(a.page, a.served.url);
  await completeFirstRun(b.page, b.served.url);
  await callOk(b.page, 'settings.update', { volunteerName: 'Yann' });
  // Each laptop gave number 42 while on its own: a conflict once they share a register.
  const helene = await callOk<{ id: string }>(a.page, 'members.create', member('42', 'Hélène', 'Dupré', 'helene.dupre@example.org'));
  await callOk(a.page, 'payments.record', { memberId: helene.id, amountCents: 1500, paidOn: '2026-01-15', method: 'cash' });
  await callOk(b.page, 'members.create', member('42', 'Martin', 'Aubert'));
  // And both entered Hélène (the same e-mail): likely one person, created twice.
  await callOk(b.page, 'members.create', member('7', 'Hélène', 'Dupré', 'Helene.Dupre@example.org'));
  // And each made a category of the same name.
  for (const laptop of [a, b]) await callOk(laptop.page, 'categories.create', { category: individual });

  const page = a.page;
  await expect(page.getByTestId('sync-indicator')).toHaveCount(0);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('sync-settings-state')).toHaveText('This computer is not in a team.');
  await shoot(page, 'en-sync-settings-card', page.getByTestId('sync-settings-card'));
  await page.getByTestId('sync-settings-open').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Team & sync');
  await expect(page.getByTestId('sync-page')).toHaveAttribute('data-in-team', 'false');
  await expect(page.getByTestId('sync-create')).toContainText('Create the team folder');
  await expect(page.getByTestId('sync-join')).toContainText('Join a team');
  await expect(page.getByTestId('sync-intro')).toContainText('only encrypted files');
  await inBothLanguages(page, 'sync-not-in-team');
  await setLanguage(page, 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Équipe et synchronisation');
  await setLanguage(page, 'en');
});

test('the forms check before sending and focus the first field to fix; the core’s refusals land under their field', async () => {
  const page = a.page;
  await page.getByTestId('sync-create-submit').click();
  await expect(page.getByTestId('error-create-folder')).toHaveText('This field is required.');
  await expect(page.locator('#create-folder')).toBeFocused();
  await page.locator('#create-folder').fill('Nextcloud/Pelote');
  await page.locator('#create-keyFile').fill('team.key');
  await page.getByTestId('sync-create-submit').click();
  await expect(page.getByTestId('error-create-folder')).toContainText('starting with /');
  await expect(page.getByTestId('error-create-keyFile')).toContainText('starting with /');
  await expect(page.locator('#create-folder')).toBeFocused();

  // A folder that is not there (an unplugged USB stick) is refused by the core, under the folder.
  await page.locator('#create-folder').fill(join(shared, 'usb-stick-unplugged'));
  await page.locator('#create-keyFile').fill('');
  await page.getByTestId('sync-create-submit').click();
  await expect(page.getByTestId('error-create-folder')).toContainText('does not exist or is not mounted');
  await expect(page.locator('#create-folder')).toBeFocused();

  await page.locator('#join-folder').fill(teamFolder);
  await page.locator('#join-key').fill('ABCD EFGH');
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('error-join-key')).toHaveText('The key has 8 letters and digits; the sheet shows 56, in 14 groups of four.');
  await expect(page.locator('#join-key')).toBeFocused();
  await page.locator('#join-key').fill('ABCU');
  await expect(page.getByTestId('error-join-key')).toContainText('“U” is never used in team keys');
  await shoot(page, 'en-sync-form-errors');
  // Nothing was written anywhere.
  expect((await callOk<{ inTeam: boolean }>(page, 'sync.status', {})).inTeam).toBe(false);
});

test('create the team on A: the key sheet stays until it is confirmed, then never again', async () => {
  const page = a.page;
  await page.reload();
  await page.locator('#create-folder').fill(teamFolder);
  await page.getByTestId('sync-create-submit').click();

  const sheet = page.getByTestId('sync-sheet');
  await expect(sheet).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Team key sheet');
  await expect(sheet).toContainText('Chatons du Bocage');
  await expect(page.getByTestId('sync-sheet-folder')).toHaveText(teamFolder);
  await expect(page.getByTestId('sync-sheet-team-id')).toHaveText(/^[0-9a-f-]{36}$/);
  teamKey = ((await page.getByTestId('sync-sheet-key').textContent()) ?? '').trim();
  expect(teamKey).toMatch(/^([0-9A-Z]{4} ){13}[0-9A-Z]{4}$/);
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'sheet');
  await inBothLanguages(page, 'sync-key-sheet');
  // Printed, only the sheet remains: no navigation, no buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(page.getByTestId('sync-sheet-confirm')).toBeHidden();
  await expect(sheet).toBeVisible();
  await shoot(page, 'en-sync-key-sheet-print');
  await page.emulateMedia({ media: 'screen' });

  // Left and come back (or reloaded): the sheet is still there until confirmed.
  await page.getByTestId('nav-members').click();
  await page.getByTestId('sync-indicator').click();
  await expect(page.getByTestId('sync-sheet-key')).toHaveText(teamKey);
  await page.reload();
  await expect(page.getByTestId('sync-sheet-key')).toHaveText(teamKey);

  await expect(page.getByTestId('sync-sheet-confirm-button')).toBeDisabled();
  await page.getByTestId('sync-sheet-saved-check').check();
  await page.getByTestId('sync-sheet-confirm-button').click();
  await expect(page.getByTestId('toast-success')).toContainText('Team key sheet confirmed');
  await expect(page.getByTestId('sync-page')).toHaveAttribute('data-in-team', 'true');
  await expect(page.getByTestId('sync-folder')).toHaveText(teamFolder);
  await expect(page.getByTestId('sync-devices-empty')).toBeVisible();
  await expect(page.getByTestId('sync-device-self')).toContainText('Camille');
  const again = await rawCall(page, 'sync.sheet', {});
  expect(again.ok ? 'shown' : again.error.code).toBe('sync_sheet_confirmed');
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced');
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced');
});

test('join on B with the key from the sheet: a mistyped key is named, the right one joins', async () => {
  const page = b.page;
  await openSyncPage(page);
  await page.locator('#join-folder').fill(teamFolder);
  // One symbol changed: the check group catches it before the folder is read.
  const last = teamKey.at(-1) === '0' ? '1' : '0';
  await page.locator('#join-key').fill(teamKey.slice(0, -1) + last);
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('error-join-key')).toHaveText('This team key was mistyped: check it against the team key sheet.');
  await expect(page.locator('#join-key')).toBeFocused();

  // Typed as people do: lower case, dashes between the groups.
  await page.locator('#join-key').fill(teamKey.toLowerCase().replace(/ /g, '-'));
  await page.getByTestId('sync-join-submit').click();
  await expect(page.getByTestId('toast-success')).toContainText('This computer joined the team');
  await expect(page.getByTestId('sync-page')).toHaveAttribute('data-in-team', 'true');
  await expect(page.getByTestId('sync-device')).toHaveCount(1);
  await expect(page.getByTestId('sync-device')).toContainText('Camille');
  await expect(page.getByTestId('sync-device-self')).toContainText('Yann');
  await expect(page.getByTestId('sync-indicator')).toBeVisible();
});

test('a member added on A appears on B; A lists B’s volunteer among the computers', async () => {
  await a.page.getByTestId('nav-members').click();
  await a.page.getByTestId('member-new').click();
  await a.page.getByLabel('First name', { exact: true }).fill('Léa');
  await a.page.getByLabel('Last name', { exact: true }).fill('Bernard');
  await a.page.getByTestId('member-save').click();
  await expect(a.page.getByTestId('member-name')).toHaveText('Léa Bernard');

  await openSyncPage(a.page);
  await syncNow(a.page);
  await expect(a.page.getByTestId('sync-waiting')).toHaveText('0');
  await syncNow(b.page);
  await b.page.getByTestId('nav-members').click();
  await expect(b.page.getByTestId('member-row').filter({ hasText: 'Léa Bernard' })).toBeVisible();

  const devices = a.page.getByTestId('sync-device');
  await expect(devices).toHaveCount(1);
  await expect(devices).toContainText('Yann');
  await expect(devices).toContainText('Up to date');
  await expect(a.page.getByTestId('sync-indicator')).toContainText('Synced');
  // The computer that made the team numbers the receipts; B is told where.
  await expect(a.page.getByTestId('sync-receipt-book-holder')).toHaveText('This computer numbers new receipts.');
  await openSyncPage(b.page);
  await expect(b.page.getByTestId('sync-receipt-book-holder')).toContainText('computer');
  await expect(b.page.getByTestId('sync-take-receipt-book')).toBeVisible();
  await inBothLanguages(a.page, 'sync-status');
  await a.page.emulateMedia({ colorScheme: 'dark' });
  await shoot(a.page, 'en-sync-status-dark');
  await a.page.emulateMedia({ colorScheme: 'light' });
});

test('two laptops gave number 42, entered Hélène twice and made the same category: each conflict says how to resolve it, and resolving syncs', async () => {
  const page = a.page;
  const conflicts = page.getByTestId('sync-conflict');
  await expect(conflicts).toHaveCount(3);
  const number = page.locator('[data-testid="sync-conflict"][data-kind="member_number"]');
  await expect(number).toContainText('Member number 42 is held by 2 members');
  await expect(number.getByTestId('sync-conflict-member')).toHaveCount(2);
  await expect(number).toContainText('Hélène Dupré (no. 42)');
  await expect(number).toContainText('Martin Aubert (no. 42)');
  const category = page.locator('[data-kind="category_name"]');
  await expect(category).toContainText('2 categories are named “Individual”');
  await expect(category.getByRole('link')).toHaveAttribute('href', '#/dues');
  const twice = page.locator('[data-kind="member_likely_duplicate"]');
  await expect(twice).toContainText('Perhaps one person entered twice');
  await expect(page.getByTestId('sync-conflict-reason')).toHaveText(
    'The same e-mail address (helene.dupre@example.org) on two members: two computers may each have created this person while offline.',
  );
  const paid = twice.getByTestId('sync-conflict-member').filter({ hasText: 'no. 42' });
  const copy = twice.getByTestId('sync-conflict-member').filter({ hasText: 'no. 7' });
  await expect(paid.getByTestId('sync-conflict-member-facts')).toHaveText('helene.dupre@example.org · 1 payment');
  await expect(copy.getByTestId('sync-conflict-member-facts')).toHaveText('Helene.Dupre@example.org · No payments');
  // Only a copy without payments can be removed; payments are never moved.
  await expect(paid.getByTestId('sync-conflict-remove-copy')).toHaveCount(0);
  await expect(copy.getByTestId('sync-conflict-remove-copy')).toHaveText('Remove this copy');
  await expect(twice.getByTestId('sync-conflict-dismiss')).toHaveText('Not the same person');
  const renumber = number.getByTestId('sync-conflict-member').filter({ hasText: 'Martin Aubert' }).getByTestId('sync-conflict-renumber');
  await expect(renumber).toHaveText(/^Give Martin Aubert the next free number \(\d+\)$/);
  const next = /\((\d+)\)/.exec((await renumber.textContent()) ?? '')?.[1] ?? '';
  await inBothLanguages(page, 'sync-conflicts', () => page.getByTestId('sync-conflicts'));

  // B sees the same conflicts.
  await openSyncPage(b.page);
  await expect(b.page.getByTestId('sync-conflict')).toHaveCount(3);

  // Resolved in one click, each an ordinary change that syncs: A gives Martin the next free number, B removes its copy.
  await renumber.click();
  await expect(page.getByTestId('toast-success').filter({ hasText: `Martin Aubert now has number ${next}.` })).toBeVisible();
  await expect(conflicts).toHaveCount(2);
  await expect(page.locator('[data-kind="member_number"]')).toHaveCount(0);
  await b.page.locator('[data-kind="member_likely_duplicate"]').getByTestId('sync-conflict-member').filter({ hasText: 'no. 7' }).getByTestId('sync-conflict-remove-copy').click();
  await expect(b.page.getByTestId('toast-success').filter({ hasText: 'Hélène Dupré (no. 7) was removed' })).toBeVisible();
  await expect(b.page.locator('[data-kind="member_likely_duplicate"]')).toHaveCount(0);
  await syncNow(page);
  await syncNow(b.page);
  await syncNow(page);
  await expect(conflicts).toHaveCount(1);
  await expect(conflicts).toHaveAttribute('data-kind', 'category_name');
  await expect(b.page.getByTestId('sync-conflict')).toHaveCount(1);
  const martin = await callOk<{ rows: { number: string }[] }>(b.page, 'members.search', { query: 'Martin Aubert' });
  expect(martin.rows.map((row) => row.number)).toEqual([next]);
  const listed = await callOk<{ kind: string; ids: string[] }[]>(page, 'sync.conflicts', {});
  await callOk(page, 'categories.delete', { id: listed[0]!.ids[1] });
  await syncNow(page);
  await expect(page.getByTestId('sync-no-conflicts')).toHaveText('No conflicts');
  await syncNow(b.page);
  await expect(b.page.getByTestId('sync-no-conflicts')).toHaveText('No conflicts');
});

test('offline is calm: the last sync time and one line, and sync resumes when the folder is back', async () => {
  const page = a.page;
  renameSync(teamFolder, `${teamFolder}.away`);
  try {
    await syncNow(page);
    const notice = page.getByTestId('sync-offline');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(/Last synced (just now|\d+ minutes? ago)/);
    await expect(page.getByTestId('sync-last-error')).toHaveText(`The team folder does not exist or is not mounted: ${teamFolder}`);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'offline');
    await expect(page.getByTestId('sync-indicator')).toContainText('Offline');
    await expect(page.getByTestId('sync-indicator')).toContainText('last synced');
    // A change made meanwhile waits on this laptop.
    await callOk(page, 'members.create', member('60', 'Rémi', 'Fontaine'));
    await expect(page.getByTestId('sync-waiting')).not.toHaveText('0');
    await shoot(page, 'en-sync-offline');
  } finally {
    renameSync(`${teamFolder}.away`, teamFolder);
  }
  await syncNow(page);
  await expect(page.getByTestId('sync-offline')).toHaveCount(0);
  await expect(page.getByTestId('sync-waiting')).toHaveText('0');
  await syncNow(b.page);
  await b.page.getByTestId('nav-members').click();
  await expect(b.page.getByTestId('member-row').filter({ hasText: 'Rémi Fontaine' })).toBeVisible();
});

test('A removes B’s computer: told what happens, then the new key sheet; B is told the key changed and asked for it', async () => {
  const page = a.page;
  await openSyncPage(page);
  const row = page.getByTestId('sync-device').filter({ hasText: 'Yann' });
  await row.getByTestId('sync-device-remove').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Remove Yann’s computer from the team?');
  await expect(dialog).toContainText('new team key sheet');
  await expect(dialog).toContainText('Every other volunteer must type the new key');
  await inBothLanguages(page, 'sync-remove-device', () => dialog);
  await page.getByTestId('dialog-confirm').click();

  await expect(page.getByTestId('sync-sheet')).toBeVisible();
  await expect(page.getByTestId('toast-success')).toContainText('team key changed');
  await expect(page.getByTestId('sync-sheet-rotated')).toContainText('The old sheet no longer opens the team folder');
  const newKey = ((await page.getByTestId('sync-sheet-key').textContent()) ?? '').trim();
  expect(newKey).toMatch(/^([0-9A-Z]{4} ){13}[0-9A-Z]{4}$/);
  expect(newKey).not.toBe(teamKey);
  await inBothLanguages(page, 'sync-key-sheet-rotated');
  await page.getByTestId('sync-sheet-saved-check').check();
  await page.getByTestId('sync-sheet-confirm-button').click();
  await expect(page.getByTestId('sync-devices-empty')).toBeVisible();

  // B, removed: its next sync says the key was changed, when and by whom, and offers the form for the new key.
  await openSyncPage(b.page);
  await syncNow(b.page);
  const rekey = b.page.getByTestId('sync-rekey');
  await expect(rekey).toContainText('The team key was changed');
  await expect(b.page.getByTestId('sync-rekey-when')).toContainText('by Camille');
  await expect(b.page.getByTestId('sync-offline')).toHaveCount(0);
  await expect(b.page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'rekey');
  await inBothLanguages(b.page, 'sync-rekey');
  await b.page.getByTestId('sync-rekey-submit').click();
  await expect(b.page.getByTestId('error-rekey-key')).toHaveText('This field is required.');
  await b.page.locator('#rekey-key').fill(newKey);
  await b.page.getByTestId('sync-rekey-submit').click();
  await expect(b.page.getByTestId('sync-rekey-error')).toHaveText('This computer was removed from the team: it no longer syncs with the team folder.');
});
