import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { callOk } from './support/raw-call';
import type { ServedPelote } from './support/serve';
import { completeFirstRun, screenshot as shoot, servedSession } from './support/session';

/** What the service's home page says: the check expects it. */
const SERVICE_TEXT = 'Etherpad is running';

let served: ServedPelote;
let page: Page;
let garage: SshdFixture;
let vps: SshdFixture;
let servicePort: number;
let service: ChildProcess | null = null;

const screenshot = (name: string) => shoot(page, name);

/** A real service on 127.0.0.1: a tiny HTTP server in its own process, stopped by killing it like a crash. */
async function startService(port: number): Promise<ChildProcess> {
  const code = `require('node:http').createServer((_, res) => res.end(${JSON.stringify(SERVICE_TEXT)})).listen(${port}, '127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the test service did not start');
}

// Declared before the session's hooks so that they run first: the servers go away before Pelote stops.
test.beforeAll(async () => {
  [garage, vps] = await Promise.all([startSshd(), startSshd()]);
  servicePort = await freeLoopbackPort();
  service = await startService(servicePort);
});
test.afterAll(async () => {
  service?.kill('SIGKILL');
  await Promise.all([garage.stop(), vps.stop()]);
});

const session = servedSession();
test.beforeAll(() => ({ served, page } = session));

/** Fills the connection part of the server form for a fixture, key file without passphrase. */
async function fillConnection(name: string, fixture: SshdFixture) {
  await page.locator('#name').fill(name);
  await page.locator('#host').fill(fixture.host);
  await page.locator('#port').fill(String(fixture.port));
  await page.locator('#username').fill(fixture.username);
  await page.locator('#authKind').selectOption('key');
  await page.locator('#keyPath').fill(fixture.privateKeyPath);
  await page.locator('#passphraseKind').selectOption('none');
  // Only the sweeps this spec asks for: the background ones would race its counts of failures.
  await page.locator('#sweepInterval').fill('3600');
}

/** Test connection: the fingerprint is shown first; trusting it signs in and shows the system. */
async function testAndTrust(fixture: SshdFixture, screenshotName: string) {
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('host-key-unknown')).toBeVisible();
  await expect(page.getByTestId('host-key-fingerprint')).toHaveText(fixture.hostKeyFingerprint);
  await screenshot(screenshotName);
  await page.getByTestId('host-key-accept').click();
  await expect(page.getByTestId('test-ok')).toBeVisible();
  await expect(page.getByTestId('test-os')).toContainText('Linux');
}

const card = (name: string) => page.getByTestId('server-card').filter({ hasText: name });

async function sweepAll() {
  await page.getByTestId('sweep-all').click();
  await expect(page.getByTestId('sweep-all')).toBeEnabled();
}

test.describe('servers, health checks and incidents', () => {
  test('first run', async () => {
    await completeFirstRun(page, served.url);
  });

  test('an empty fleet points to the form, which explains what is wrong', async () => {
    await page.getByTestId('nav-servers').click();
    await expect(page.getByTestId('servers-empty')).toBeVisible();
    await page.getByTestId('server-add').click();
    await page.getByTestId('server-save').click();
    await expect(page.getByTestId('error-name')).toHaveText('This field is required.');
    await page.locator('#host').fill('not a host!');
    await expect(page.getByTestId('error-host')).toContainText('host name');
    await page.getByTestId('service-add').click();
    await page.locator('#service-0-url').fill('ftp://127.0.0.1/');
    await expect(page.getByTestId('error-service-0-url')).toContainText('http://');
    await page.getByTestId('service-remove').click();
  });

  test('a server is added through the form after its host key was compared and trusted', async () => {
    await fillConnection('garage-1', garage);
    await page.locator('#tags').fill('production, garage');
    await page.getByTestId('service-add').click();
    await page.locator('#service-0-name').fill('Etherpad');
    await page.locator('#service-0-kind').selectOption('etherpad');
    await page.locator('#service-0-url').fill(`http://127.0.0.1:${servicePort}/`);
    await page.locator('#service-0-expectText').fill(SERVICE_TEXT);
    await page.locator('#service-0-port').fill(String(servicePort));
    await testAndTrust(garage, 'en-server-form');
    await page.getByTestId('server-save').click();
    await expect(page.getByTestId('server-name')).toHaveText('garage-1');

    // The key trusted in the test is the pinned one: the next test matches without asking.
    const servers = await callOk<{ id: string; name: string }[]>(page, 'servers.list', {});
    const detail = await callOk<{ server: { hostKey: { fingerprint: string } | null } }>(page, 'servers.get', { id: servers[0]?.id });
    expect(detail.server.hostKey?.fingerprint).toBe(garage.hostKeyFingerprint);
  });

  test('in French, a second server is added the same way', async () => {
    await callOk(page, 'settings.update', { language: 'fr' });
    await page.getByTestId('nav-servers').click();
    await page.getByTestId('server-add').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajouter un serveur');
    await fillConnection('vps-1', vps);
    await testAndTrust(vps, 'fr-server-form');
    await page.getByTestId('server-save').click();
    await expect(page.getByTestId('server-name')).toHaveText('vps-1');
    await callOk(page, 'settings.update', { language: 'en' });
  });

  test('a sweep turns the cards green', async () => {
    // Both "servers" are this machine: its load (a parallel build on CI) is not the spec's to control.
    const servers = await callOk<{ id: string }[]>(page, 'servers.list', {});
    for (const { id } of servers) {
      await callOk(page, 'servers.updateRules', { id, rules: { load_per_core: { enabled: false, threshold: 2, failAfter: 4, clearAfter: 4 } } });
    }
    await page.getByTestId('nav-servers').click();
    await sweepAll();
    await expect(card('garage-1')).toHaveAttribute('data-colour', 'green');
    await expect(card('vps-1')).toHaveAttribute('data-colour', 'green');
    await expect(card('garage-1')).toContainText('Checked');
    // A second sweep gives the CPU figure (it needs two samples).
    await sweepAll();
    await screenshot('en-fleet');
  });

  test('when the service dies, an incident opens after two failed sweeps and a notification says so', async () => {
    service?.kill('SIGKILL');
    service = null;
    await sweepAll();
    // One failure is not an incident yet: the default rules fire after two.
    await expect(card('garage-1')).toHaveAttribute('data-colour', 'amber');
    await expect(page.getByTestId('toast-info')).toHaveCount(0);
    await sweepAll();
    await expect(card('garage-1')).toHaveAttribute('data-colour', 'red');
    await expect(page.getByTestId('toast-info').filter({ hasText: 'Etherpad is down on garage-1' }).first()).toBeVisible();
    await expect(card('garage-1').getByTestId('server-open-incidents')).toBeVisible();
    await expect(card('vps-1')).toHaveAttribute('data-colour', 'green');
  });

  test('the server page shows the failing checks and the incident', async () => {
    await card('garage-1').click();
    await expect(page.getByTestId('server-name')).toHaveText('garage-1');
    const httpCheck = page.getByTestId('check-row').filter({ hasText: 'Web page answers' });
    await expect(httpCheck.getByTestId('check-state')).toHaveAttribute('data-state', 'failing');
    await expect(httpCheck).toContainText('The service refused the connection.');
    await expect(page.getByTestId('service-item').filter({ hasText: 'Etherpad' }).getByTestId('check-state')).toHaveAttribute('data-state', 'failing');
    await expect(page.getByTestId('server-incidents').getByTestId('incident').first()).toHaveAttribute('data-status', 'open');
    await screenshot('en-server-page');

    // A maintenance window mutes alerts and says so; ending it early is one click.
    await page.getByTestId('maintenance').locator('summary').click();
    await page.getByTestId('maintenance-1h').click();
    await expect(page.getByTestId('maintenance-badge')).toContainText('Maintenance until');
    await page.getByTestId('maintenance').locator('summary').click();
    await page.getByTestId('maintenance-end').click();
    await expect(page.getByTestId('maintenance-badge')).toHaveCount(0);
  });

  test('on the incidents page, someone acknowledges it and adds a note', async () => {
    await page.getByTestId('nav-incidents').click();
    const incident = page.getByTestId('incident').filter({ hasText: 'Etherpad — Web page answers' });
    await expect(incident).toHaveAttribute('data-status', 'open');
    await expect(incident.getByRole('link', { name: 'garage-1' })).toBeVisible();
    await expect(incident.getByTestId('incident-cause')).toContainText('The service refused the connection.');
    await incident.getByTestId('incident-acknowledge').click();
    await expect(incident).toHaveAttribute('data-status', 'acknowledged');
    await expect(incident).toContainText('Acknowledged by Camille');
    await incident.getByTestId('incident-note').fill('The pad service crashed; restarting it.');
    await incident.getByTestId('incident-add-note').click();
    await expect(incident.getByTestId('incident-timeline')).toContainText('The pad service crashed; restarting it.');
    await screenshot('en-incidents');
  });

  test('the same screens in French', async () => {
    await callOk(page, 'settings.update', { language: 'fr' });
    await page.getByTestId('nav-servers').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Serveurs');
    await expect(card('garage-1')).toContainText('Vérifié');
    await screenshot('fr-fleet');
    await card('garage-1').click();
    await expect(page.getByTestId('check-row').first()).toBeVisible();
    await screenshot('fr-server-page');
    await page.getByTestId('nav-incidents').click();
    await expect(page.getByTestId('incident').filter({ hasText: 'La page web répond' })).toContainText('Pris en charge par Camille');
    await screenshot('fr-incidents');
    await callOk(page, 'settings.update', { language: 'en' });
  });
});
