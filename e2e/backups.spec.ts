import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { callOk, rawCall } from './support/raw-call';
import { watchConsole } from './support/console-errors';
import type { ServedPelote } from './support/serve';
import { servePelote } from './support/serve';
import { completeFirstRun, screenshot as shoot, servedSession } from './support/session';

// Two "servers" (both this machine, each its own sshd): garage-1 is backed up, fresh-1 is a freshly installed server
// that was never backed up and receives the restore. The repository is a folder on the "laptop" (a USB disk).
let served: ServedPelote;
let page: Page;
let garage: SshdFixture;
let fresh: SshdFixture;
let laptop: string;
let sourceDir: string;
let targetDir: string;
let repositoryPath: string;
/** The repository's password, as its recovery sheet showed it. */
let password = '';

const screenshot = (name: string) => shoot(page, name);

/** The same screen in the dark theme too: colours come from the theme's variables, which must stay readable. */
async function screenshotDark(name: string) {
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** What the restored copy must equal: every entry under `root`, with its kind and content or link target. */
function tree(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const key = relative(root, path);
      if (stat.isSymbolicLink()) entries[key] = `link → ${readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        entries[key] = `dir ${(stat.mode & 0o7777).toString(8)}`;
        walk(path);
      } else entries[key] = `file ${(stat.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(root);
  return entries;
}

function chownTree(path: string, owner: { uid: number; gid: number }) {
  lchownSync(path, owner.uid, owner.gid);
  if (lstatSync(path).isDirectory() && !lstatSync(path).isSymbolicLink()) for (const name of readdirSync(path)) chownTree(join(path, name), owner);
}

/** A small site on garage-1, readable by the fixture's login user: files, a subdirectory, a symlink, a bigger file. */
function makeSource(fixture: SshdFixture): string {
  const root = join(fixture.homeDir, 'www', 'site');
  mkdirSync(join(root, 'pages', 'archives'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<h1>Chatons du Bocage</h1>\n');
  writeFileSync(join(root, 'pages', 'adhésion.html'), '<p>Cotisation : 12,50 €</p>\n');
  writeFileSync(join(root, 'pages', 'archives', 'compte-rendu AG 2025.txt'), 'Assemblée générale du 14 mars 2025\n');
  writeFileSync(join(root, 'cache.tmp'), 'left out by the job\n');
  chmodSync(join(root, 'index.html'), 0o640);
  // About 6 MB that does not compress: the progress bar has bytes to count.
  const blocks: Buffer[] = [];
  for (let i = 0; i < 96; i++) blocks.push(createHash('sha512').update(`block ${i}`).digest());
  const block = Buffer.concat(blocks);
  writeFileSync(join(root, 'media.bin'), Buffer.concat(Array.from({ length: 1000 }, (_, i) => Buffer.concat([block.subarray(i % 64), block.subarray(0, i % 64)]))));
  symlinkSync('pages/adhésion.html', join(root, 'join.html'));
  chownTree(join(fixture.homeDir, 'www'), lstatSync(fixture.homeDir));
  return root;
}

test.beforeAll(async () => {
  [garage, fresh] = await Promise.all([startSshd(), startSshd()]);
  sourceDir = makeSource(garage);
  targetDir = join(fresh.homeDir, 'restore');
  mkdirSync(targetDir);
  chownTree(targetDir, lstatSync(fresh.homeDir));
  laptop = mkdtempSync(join(tmpdir(), 'pelote-e2e-laptop-'));
  repositoryPath = join(laptop, 'usb-disk', 'pelote');
});
test.afterAll(async () => {
  await Promise.all([garage.stop(), fresh.stop()]);
});

const session = servedSession();
test.beforeAll(() => ({ served, page } = session));
// After Pelote has stopped: a restic still reading the repository (a status the page asked for) would otherwise retry
// against a deleted folder for most of a minute, and Pelote waits for it.
test.afterAll(() => rmSync(laptop, { recursive: true, force: true }));

/** A server created and its host key pinned through the contract: the server screens have their own spec. */
async function addServer(name: string, fixture: SshdFixture): Promise<string> {
  const server = await callOk<{ id: string }>(page, 'servers.create', {
    server: {
      name,
      host: fixture.host,
      port: fixture.port,
      username: fixture.username,
      auth: { kind: 'key', keyPath: fixture.privateKeyPath, passphrase: { kind: 'none' } },
      sweepIntervalSeconds: 3600,
    },
  });
  await callOk(page, 'servers.acceptHostKey', { id: server.id, fingerprint: fixture.hostKeyFingerprint });
  return server.id;
}

async function setLanguage(language: 'en' | 'fr') {
  await callOk(page, 'settings.update', { language });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

interface RunSummary {
  id: string;
  status: string;
  error: unknown;
}

const runsOf = (kind: 'backup' | 'restore' | 'drill') => callOk<RunSummary[]>(page, 'backups.runs.list', { kind, limit: 20 });

/**
 * Does `action`, then waits for the run of `kind` it started to finish; when that run did not succeed, fails with its
 * own error and log, which say more than the screen's translated summary.
 */
async function expectRunSucceeds(kind: 'backup' | 'restore' | 'drill', action: () => Promise<void>) {
  const before = new Set((await runsOf(kind)).map((run) => run.id));
  await action();
  let run: RunSummary | undefined;
  await expect
    .poll(
      async () => {
        run = (await runsOf(kind)).find((r) => !before.has(r.id));
        return run?.status ?? 'not started';
      },
      { timeout: 30_000 },
    )
    .not.toMatch(/^(running|not started)$/);
  if (run?.status !== 'succeeded') {
    const { log } = await callOk<{ log: unknown }>(page, 'backups.runs.get', { id: run?.id });
    throw new Error(`the ${kind} ${run?.status ?? ''}: ${JSON.stringify(run?.error)}\n${JSON.stringify(log, null, 1)}`);
  }
}

const jobRow = () => page.getByTestId('job-row').filter({ hasText: 'Website' });

test.describe('backups, restores and drills', () => {
  test('without restic, the page says so, how to install it, and offers to give its path', async ({ browser }) => {
    // Another Pelote, started where restic cannot be found.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    const bare = await servePelote().finally(() => (process.env.PATH = path));
    const context = await browser.newContext({ locale: 'en-GB' });
    const other = await context.newPage();
    const errors = watchConsole(other);
    try {
      await other.goto(bare.url);
      await callOk(other, 'settings.completeSetup', { associationName: 'Chatons du Bocage', volunteerName: 'Camille', language: 'en' });
      await other.reload();
      await other.getByTestId('nav-backups').click();
      await expect(other.getByTestId('engine-card')).toHaveAttribute('data-available', 'false');
      await expect(other.getByTestId('engine-error')).toHaveText('restic was not found on this computer.');
      await expect(other.locator('#restic-path')).toBeVisible();
      await shoot(other, 'en-backups-engine-missing');
      await callOk(other, 'settings.update', { language: 'fr' });
      await expect(other.getByTestId('engine-error')).toHaveText('restic est introuvable sur cet ordinateur.');
      await shoot(other, 'fr-backups-engine-missing');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await bare.stop();
    }
  });

  test('first run, with two servers', async () => {
    await completeFirstRun(page, served.url);
    await addServer('garage-1', garage);
    await addServer('fresh-1', fresh);
  });

  test('the backups page finds restic and its version, and refuses one that is too old', async () => {
    await page.getByTestId('nav-backups').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Backups');
    await expect(page.getByTestId('engine-card')).toHaveAttribute('data-available', 'true');
    await expect(page.getByTestId('engine-version')).toHaveText(/restic \d+\.\d+\.\d+ is ready/);
    await expect(page.getByTestId('repositories-empty')).toBeVisible();
    await expect(page.getByTestId('jobs-empty')).toContainText('Create a repository first');
    await screenshot('en-backups-empty');

    const old = join(laptop, 'old-restic');
    writeFileSync(old, '#!/bin/sh\necho "restic 0.9.6 compiled with go1.13 on linux/amd64"\n', { mode: 0o755 });
    await page.getByTestId('engine-change').click();
    await page.locator('#restic-path').fill(old);
    await page.getByTestId('engine-set-path').click();
    await expect(page.getByTestId('toast-error')).toContainText('too old');
    // Refused, so not kept: the one found on PATH still runs.
    await expect(page.getByTestId('engine-version')).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a repository is created from the UI and its recovery sheet shown once, until confirmed saved', async () => {
    await page.getByTestId('repository-create').click();
    await page.getByTestId('repository-submit').click();
    await expect(page.getByTestId('error-repository-name')).toHaveText('This field is required.');
    await page.locator('#repository-name').fill('USB disk');
    await page.locator('#repository-path').fill(repositoryPath);
    await screenshot('en-backups-repository-dialog');
    await page.getByTestId('repository-submit').click();

    const sheet = page.getByTestId('recovery-sheet');
    await expect(sheet).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('recovery-path')).toHaveText(repositoryPath);
    password = (await page.getByTestId('recovery-password').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    await expect(page.getByTestId('recovery-restic-id')).toHaveText(/^[0-9a-f]{64}$/);
    await screenshot('en-backups-recovery-sheet');
    await screenshotDark('en-backups-recovery-sheet');
    // Printed, only the sheet remains: no navigation, no buttons, black on white.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.sidebar')).toBeHidden();
    await expect(page.getByTestId('recovery-confirm')).toBeHidden();
    await expect(sheet).toBeVisible();
    await screenshot('en-backups-recovery-sheet-print');
    await page.emulateMedia({ media: 'screen' });
    await setLanguage('fr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fiche de récupération');
    await screenshot('fr-backups-recovery-sheet');
    await setLanguage('en');

    // Left without confirming: the repository keeps warning, and the sheet can be shown again.
    await page.getByTestId('nav-backups').click();
    const repository = page.getByTestId('repository').filter({ hasText: 'USB disk' });
    await expect(repository.getByTestId('recovery-unconfirmed')).toBeVisible();
    await expect(repository.getByTestId('repository-status')).toHaveAttribute('data-ok', 'true');
    await expect(repository.getByTestId('repository-status')).toContainText('0 snapshots');
    await repository.getByTestId('recovery-show').click();
    await expect(page.getByTestId('recovery-password')).toHaveText(password);
    await expect(page.getByTestId('recovery-confirm-button')).toBeDisabled();
    await page.getByTestId('recovery-saved-check').check();
    await page.getByTestId('recovery-confirm-button').click();
    await expect(page.getByTestId('toast-success')).toContainText('confirmed saved');
    await expect(repository.getByTestId('recovery-unconfirmed')).toHaveCount(0);
    // Once confirmed, the sheet is never shown again.
    const id = (await callOk<{ id: string }[]>(page, 'backups.repositories.list', {}))[0]?.id;
    expect(await rawCall(page, 'backups.repositories.recoverySheet', { id })).toMatchObject({ ok: false, error: { code: 'backup_recovery_sheet_confirmed' } });
  });

  test('a backup job is defined through the form, which explains what is wrong', async () => {
    await page.getByTestId('job-add').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New backup job');
    await page.getByTestId('job-save').click();
    await expect(page.getByTestId('error-job-name')).toHaveText('This field is required.');
    await expect(page.getByTestId('error-job-serverId')).toHaveText('Choose a server.');
    await page.locator('#job-paths').fill('var/www');
    await expect(page.getByTestId('error-job-paths')).toContainText('“var/www” is not an absolute path');
    await page.locator('#job-beforeCommands').fill("echo 'open");
    await expect(page.getByTestId('error-job-beforeCommands')).toContainText('Line 1: a quote is left open');
    await screenshot('en-backups-job-form-errors');

    await page.locator('#job-name').fill('Website');
    await page.locator('#job-serverId').selectOption({ label: 'garage-1' });
    await expect(page.locator('#job-repositoryId')).toHaveValue(/.+/); // the only repository is preselected
    await page.locator('#job-paths').fill(sourceDir);
    await page.locator('#job-excludes').fill('*.tmp');
    // Maintenance mode on and off, as an admin would write it; the pause lets the progress bar be seen.
    await page.locator('#job-beforeCommands').fill("sh -c 'sleep 1.5 && echo maintenance on'");
    await page.locator('#job-afterCommands').fill('echo "maintenance off"');
    await page.locator('#job-scheduleKind').selectOption('daily');
    await page.locator('#job-dailyAt').fill('03:15');
    await page.locator('#job-keepLast').fill('5');
    // Drills only by hand: a scheduled one would start right after the first backup and race this spec's own.
    await page.locator('#job-drillEveryDays').fill('');
    // A database dump row, shown and explained, then left out (this "server" has no database).
    await page.getByTestId('dump-add').click();
    await page.locator('#dump-0-name').fill('my dump');
    await page.locator('#dump-0-database').fill('etherpad');
    await page.locator('#dump-0-runAs').fill('postgres');
    await page.locator('#dump-0-name').blur();
    await expect(page.getByTestId('error-dump-0-name')).toContainText('no spaces');
    await screenshot('en-backups-job-form');
    await page.getByTestId('dump-remove').click();
    await page.getByTestId('job-save').click();
    await expect(page.getByTestId('job-name')).toHaveText('Website');
    await expect(page.getByTestId('runs-empty')).toBeVisible();
    await expect(page.getByTestId('job-settings')).toContainText("sh -c 'sleep 1.5 && echo maintenance on'");
  });

  test('"Run now" shows the progress, then a succeeded run with its snapshot', async () => {
    await expectRunSucceeds('backup', async () => {
      await page.getByTestId('job-run').click();
      const progress = page.getByTestId('job-running').getByTestId('run-progress');
      await expect(progress).toBeVisible();
      await expect(progress.getByTestId('progress-bar')).toBeVisible();
      await expect(progress.getByTestId('run-stage')).not.toBeEmpty();
      await expect(page.locator('[data-testid="run-row"][data-status="running"]')).toBeVisible();
      await screenshot('en-backups-progress');
    });
    const run = page.getByTestId('run-row').first();
    await expect(run).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('job-running')).toHaveCount(0);
    await expect(run.getByTestId('run-snapshots')).toHaveText(/[0-9a-f]{8}/);
    await expect(page.getByTestId('snapshot-row')).toHaveCount(1);
    await run.getByTestId('run-expand').click();
    await expect(page.getByTestId('run-log')).toContainText('maintenance on');
    await expect(page.getByTestId('run-log')).toContainText('maintenance off');
    await screenshot('en-backups-job');
    await screenshotDark('en-backups-job');

    await page.getByTestId('nav-backups').click();
    await expect(jobRow().getByTestId('freshness')).toHaveAttribute('data-freshness', 'ok');
    await expect(jobRow().getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('repository').getByTestId('repository-status')).toContainText('1 snapshot');
    await screenshot('en-backups-overview');
    await screenshotDark('en-backups-overview');
  });

  test('the snapshot lists its files, filtered by name, and one file is saved to the laptop', async () => {
    await jobRow().getByRole('link', { name: 'Website' }).click();
    await page.getByTestId('snapshot-browse').click();
    const rows = page.getByTestId('file-row');
    const rel = sourceDir.slice(1);
    await expect(rows.filter({ hasText: `${rel}/index.html` })).toHaveCount(1);
    await expect(page.locator(`[data-testid="file-row"][data-path="${rel}/join.html"]`)).toHaveAttribute('data-type', 'symlink');
    await expect(rows.filter({ hasText: 'cache.tmp' })).toHaveCount(0); // excluded by the job
    await screenshot('en-backups-snapshot');

    await page.getByTestId('browser-filter').fill('compte-rendu');
    await expect(rows).toHaveCount(1);
    await expect(page.getByTestId('browser-count')).toHaveText('1 entry');
    const download = page.waitForEvent('download');
    await rows.getByTestId('file-save').click();
    const saved = await (await download).path();
    expect(readFileSync(saved, 'utf8')).toBe('Assemblée générale du 14 mars 2025\n');
  });

  test('a restore onto the freshly installed server, into a directory, is verified', async () => {
    await page.getByRole('link', { name: 'Back to the job' }).click();
    await page.getByTestId('job-restore').click();
    await expect(page.getByTestId('restore-snapshot')).toBeChecked();
    await screenshot('en-backups-restore-snapshots');
    await page.getByTestId('restore-next').click();
    await page.locator('#restore-server').selectOption({ label: 'fresh-1' });
    await page.getByTestId('restore-kind-directory').check();
    await page.locator('#restore-directory').fill(targetDir);
    await screenshot('en-backups-restore-target');
    await page.getByTestId('restore-plan').click();
    const write = page.getByTestId('restore-write');
    await expect(write).toHaveCount(1);
    await expect(write).toHaveAttribute('data-exists', 'false');
    await expect(page.getByTestId('restore-overwrites')).toHaveCount(0);
    await screenshot('en-backups-restore-plan');

    await expectRunSucceeds('restore', () => page.getByTestId('restore-start').click());
    const outcome = page.getByTestId('restore-run').getByTestId('run-outcome');
    await expect(outcome).toHaveAttribute('data-status', 'succeeded');
    await expect(outcome.getByTestId('verification')).toHaveAttribute('data-status', 'verified');
    await expect(outcome.getByTestId('verification')).toHaveText('Verified');
    await expect(outcome.getByTestId('run-health')).toContainText('fresh-1');
    await screenshot('en-backups-restore-done');
    await screenshotDark('en-backups-restore-done');

    // On disk: the restored copy equals the source, entry by entry (the excluded file aside).
    const expected = tree(sourceDir);
    delete expected['cache.tmp'];
    expect(tree(join(targetDir, sourceDir))).toEqual(expected);
  });

  test('restoring again over it asks for a confirmation that names the server and the paths', async () => {
    await page.getByRole('link', { name: 'Back to the job' }).last().click();
    await page.getByTestId('job-restore').click();
    await page.getByTestId('restore-next').click();
    await page.locator('#restore-server').selectOption({ label: 'fresh-1' });
    await page.locator('#restore-directory').fill(targetDir);
    await page.getByTestId('restore-plan').click();
    await expect(page.getByTestId('restore-write')).toHaveAttribute('data-exists', 'true');
    await expect(page.getByTestId('restore-overwrites')).toContainText('1 item on fresh-1 will be overwritten');
    await page.getByTestId('restore-start').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Overwrite on fresh-1?');
    await expect(dialog.getByTestId('restore-confirm-paths')).toHaveText(targetDir);
    await expect(dialog.getByTestId('dialog-confirm')).toBeDisabled();
    await screenshot('en-backups-restore-confirm');
    await dialog.locator('#dialog-input').fill('fresh-1');
    await expectRunSucceeds('restore', () => dialog.getByTestId('dialog-confirm').click());
    await expect(page.getByTestId('restore-run').getByTestId('verification')).toHaveAttribute('data-status', 'verified');
  });

  test('a restore drill records the job as verified restorable', async () => {
    await page.getByRole('link', { name: 'Back to the job' }).last().click();
    await expect(page.getByTestId('job-state').getByTestId('job-last-verified')).toHaveText('Never verified');
    await expectRunSucceeds('drill', () => page.getByTestId('job-drill').click());
    await expect(page.locator('[data-testid="run-row"][data-kind="drill"]').first()).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('job-state').getByTestId('job-last-verified')).not.toHaveText('Never verified');
    await page.getByTestId('nav-backups').click();
    await expect(jobRow().getByTestId('job-last-verified')).not.toHaveText('Never verified');
  });

  test('a stale lock is shown with its age and removed only when asked', async () => {
    // A restic killed while it held the repository leaves its lock behind.
    const holder = spawn('restic', ['-r', repositoryPath, 'backup', '--stdin', '--stdin-filename', 'held'], {
      env: { ...process.env, RESTIC_PASSWORD: password },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await expect.poll(() => readdirSync(join(repositoryPath, 'locks')).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const gone = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await gone;

    await page.getByTestId('nav-backups').click();
    const repository = page.getByTestId('repository').filter({ hasText: 'USB disk' });
    await repository.getByTestId('repository-check').click();
    await expect(repository.getByTestId('repository-lock')).toHaveAttribute('data-stale', 'true');
    await expect(repository.getByTestId('repository-lock')).toContainText('Stale lock from');
    await screenshot('en-backups-stale-lock');
    await repository.getByTestId('repository-unlock').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText('a live one is never touched');
    await page.getByTestId('confirm-dialog').getByTestId('dialog-confirm').click();
    await expect(page.getByTestId('toast-success')).toContainText('Stale locks removed');
    await expect(repository.getByTestId('repository-locks')).toHaveCount(0);
    expect(readdirSync(join(repositoryPath, 'locks'))).toEqual([]);
  });

  test('adding the same repository again is refused with a message that says why', async () => {
    await page.getByTestId('repository-attach').click();
    await page.locator('#repository-name').fill('Same disk');
    await page.locator('#repository-path').fill(repositoryPath);
    await page.locator('#repository-password').fill(password);
    await page.getByTestId('repository-submit').click();
    await expect(page.getByTestId('repository-error')).toHaveText(`Pelote already uses the repository at ${repositoryPath}.`);
    await page.getByTestId('repository-dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('repository')).toHaveCount(1);
  });

  test('every backups screen in French', async () => {
    await setLanguage('fr');
    await page.getByTestId('nav-backups').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sauvegardes');
    await expect(jobRow().getByTestId('freshness')).toHaveText('À jour');
    await screenshot('fr-backups-overview');

    await page.getByTestId('repository-create').click();
    await expect(page.getByTestId('repository-dialog').getByRole('heading')).toHaveText('Nouveau dépôt de sauvegarde');
    await screenshot('fr-backups-repository-dialog');
    await page.getByTestId('repository-dialog').getByRole('button', { name: 'Annuler' }).click();

    await jobRow().getByRole('link', { name: 'Website' }).click();
    await expect(page.getByTestId('run-row').first()).toContainText('Réussie');
    await page.getByTestId('run-row').last().getByTestId('run-expand').click();
    await screenshot('fr-backups-job');

    await page.getByTestId('job-edit').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier la tâche de sauvegarde');
    await page.locator('#job-paths').fill(`${sourceDir}\nrelatif/chemin`);
    await page.locator('#job-paths').blur();
    await expect(page.getByTestId('error-job-paths')).toContainText('n’est pas un chemin absolu');
    await screenshot('fr-backups-job-form');
    await page.getByRole('link', { name: 'Annuler' }).click();

    await page.getByTestId('snapshot-browse').first().click();
    await expect(page.getByTestId('browser-count')).toContainText('éléments');
    await screenshot('fr-backups-snapshot');
  });

  test('a restore and a backup in progress, in French', async () => {

    await page.getByTestId('browser-restore').click();
    await screenshot('fr-backups-restore-snapshots');
    await page.getByTestId('restore-next').click();
    await page.locator('#restore-server').selectOption({ label: 'fresh-1' });
    await page.locator('#restore-directory').fill(targetDir);
    await screenshot('fr-backups-restore-target');
    await page.getByTestId('restore-plan').click();
    await expect(page.getByTestId('restore-overwrites')).toContainText('sera écrasé');
    await screenshot('fr-backups-restore-plan');
    await page.getByTestId('restore-start').click();
    await expect(page.getByTestId('confirm-dialog').getByRole('heading')).toHaveText('Écraser sur fresh-1 ?');
    await screenshot('fr-backups-restore-confirm');
    await page.getByTestId('confirm-dialog').locator('#dialog-input').fill('fresh-1');
    await expectRunSucceeds('restore', () => page.getByTestId('confirm-dialog').getByTestId('dialog-confirm').click());
    await expect(page.getByTestId('restore-run').getByTestId('verification')).toHaveText('Vérifiée');
    await screenshot('fr-backups-restore-done');

    // A run in progress, in French: the progress bar with its stage.
    await page.getByRole('link', { name: 'Retour à la tâche' }).last().click();
    await expectRunSucceeds('backup', async () => {
      await page.getByTestId('job-run').click();
      await expect(page.getByTestId('job-running').getByTestId('run-progress')).toBeVisible();
      await expect(page.locator('[data-testid="run-row"][data-status="running"]')).toBeVisible();
      await screenshot('fr-backups-progress');
    });
    await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'succeeded');
    await setLanguage('en');
  });
});
