import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { callOk } from './support/raw-call';
import { completeFirstRun, screenshot, servedSession } from './support/session';

// A `pelote backup run` that dies (SIGKILL) while the job's before command has put the server in maintenance, and a
// server that is down when `pelote serve` retries the after commands: the run's page says which commands did not
// run and what to do, in English and French.
const CLI = resolve(__dirname, '../out/main/cli.js');

let garage: SshdFixture;
test.beforeAll(async () => {
  garage = await startSshd();
});
test.afterAll(async () => {
  await garage.stop();
});

const session = servedSession();

interface Run {
  id: string;
  status: string;
  afterCommands: { state: string; attempts: number; commands: string[][] } | null;
}

test('a backup whose after commands did not run says so on its page and in the job history', async () => {
  // The serve's scheduler retries on its 30-second tick.
  test.setTimeout(120_000);
  const { page, served } = session;
  await completeFirstRun(page, served.url);
  const server = await callOk<{ id: string }>(page, 'servers.create', {
    server: {
      name: 'garage-1',
      host: garage.host,
      port: garage.port,
      username: garage.username,
      auth: { kind: 'key', keyPath: garage.privateKeyPath, passphrase: { kind: 'none' } },
      sweepIntervalSeconds: 3600,
    },
  });
  await callOk(page, 'servers.acceptHostKey', { id: server.id, fingerprint: garage.hostKeyFingerprint });
  const { repository } = await callOk<{ repository: { id: string } }>(page, 'backups.repositories.create', { name: 'USB disk', path: join(served.dataDir, 'repo'), passwordFile: null });
  mkdirSync(join(garage.homeDir, 'www'));
  const flag = join(garage.homeDir, 'maintenance.flag');
  const hold = join(garage.homeDir, 'hold');
  const job = await callOk<{ id: string }>(page, 'backups.jobs.create', {
    job: {
      name: 'Website',
      serverId: server.id,
      repositoryId: repository.id,
      paths: [join(garage.homeDir, 'www')],
      beforeCommands: [['touch', flag], ['sh', '-c', 'while [ -e "$1" ]; do sleep 0.05; done', 'sh', hold]],
      afterCommands: [['rm', flag]],
    },
  });

  // The CLI's backup dies with the server in maintenance, then the server goes down.
  writeFileSync(hold, '');
  const child = spawn(process.execPath, [CLI, '--data-dir', served.dataDir, 'backup', 'run', job.id], { stdio: 'ignore' });
  const exited = new Promise((done) => child.once('exit', done));
  await expect.poll(() => existsSync(flag), { timeout: 20_000 }).toBe(true);
  child.kill('SIGKILL');
  await exited;
  rmSync(hold);
  await garage.kill();

  const [dead] = await callOk<Run[]>(page, 'backups.runs.list', { jobId: job.id });
  await expect
    .poll(async () => (await callOk<Run>(page, 'backups.runs.get', { id: dead?.id })).afterCommands?.attempts, { timeout: 60_000 })
    .toBe(1);

  await page.evaluate((id) => (location.hash = `#/backups/runs/${id}`), dead?.id ?? '');
  const warning = page.getByTestId('after-commands-warning');
  await expect(warning).toHaveAttribute('data-state', 'pending');
  await expect(warning).toContainText('The commands to run after this backup did not run');
  await expect(warning).toContainText('Pelote stopped during this backup and could not run them on garage-1 since');
  await expect(page.getByTestId('after-commands-list')).toHaveText(`rm ${flag}`);
  await expect(page.getByTestId('after-commands-retry')).toContainText('Pelote tries again on its own at');
  await screenshot(page, 'en-backups-after-commands-pending');

  // Pressed while the server is still down: tried again, still owed.
  await page.getByTestId('after-commands-run').click();
  await expect.poll(async () => (await callOk<Run>(page, 'backups.runs.get', { id: dead?.id })).afterCommands?.attempts).toBe(2);
  await expect(warning).toHaveAttribute('data-state', 'pending');
  expect(existsSync(flag)).toBe(true);

  await callOk(page, 'settings.update', { language: 'fr' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(warning).toContainText('Les commandes d’après sauvegarde n’ont pas été lancées');
  await expect(page.getByRole('button', { name: 'Lancer les commandes d’après sauvegarde' })).toBeVisible();
  await screenshot(page, 'fr-backups-after-commands-pending');

  await page.evaluate((id) => (location.hash = `#/backups/jobs/${id}`), job.id);
  await expect(page.getByTestId('run-after-owed')).toHaveText('Commandes d’après non lancées');
  await page.getByTestId('run-expand').click();
  await expect(page.getByTestId('runs-card').getByTestId('after-commands-warning')).toBeVisible();
  await screenshot(page, 'fr-backups-after-commands-history', page.getByTestId('runs-card'));
  await callOk(page, 'settings.update', { language: 'en' });
  await expect(page.getByTestId('run-after-owed')).toHaveText('After commands not run');
  await screenshot(page, 'en-backups-after-commands-history', page.getByTestId('runs-card'));
});
