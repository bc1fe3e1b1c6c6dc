import type { Download, Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';
import { callOk } from './support/raw-call';
import type { ServedPelote } from './support/serve';
import { ARTIFACTS, completeFirstRun, screenshot as shoot, servedSession } from './support/session';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SWEEPS = 6;
/** The chart's plot area inside its frame (UsageChart: the Y axis on the left, a right margin). */
const PLOT_LEFT = 74;
const PLOT_RIGHT = 12;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let served: ServedPelote;
let page: Page;
let fixture: SshdFixture;
let serverId: string;

/**
 * A screenshot of the page, or of one part of it: the window first grows to the content's height, since a part
 * below the fold (the shell scrolls inside `.main`) would otherwise come out blank.
 */
async function screenshot(name: string, target?: Locator): Promise<void> {
  if (!target) return shoot(page, name);
  const viewport = page.viewportSize()!;
  const height = await page.locator('.main').evaluate((element) => element.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await shoot(page, name, target);
  await page.setViewportSize(viewport);
}
const usage = () => page.getByTestId('resource-usage');
const chart = (id: string) => page.locator(`[data-testid="usage-chart"][data-chart="${id}"]`);

// Declared before the session's hooks so that they run first: the server goes away before Pelote stops.
test.beforeAll(async () => {
  fixture = await startSshd();
});
test.afterAll(async () => {
  await fixture.stop();
});

const session = servedSession();
test.beforeAll(() => ({ served, page } = session));

/** The points of a drawn line: its path's M/L commands (recharts draws linear curves). */
async function pathPoints(line: Locator): Promise<number> {
  const d = (await line.getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

/** The most points any one line of a chart has. */
async function mostPoints(id: string): Promise<number> {
  const curves = chart(id).locator('path.recharts-curve');
  await expect(curves.first()).toBeAttached();
  let most = 0;
  for (const curve of await curves.all()) most = Math.max(most, await pathPoints(curve));
  return most;
}

/** The window on screen, as the section reports the query it made. */
async function shownSpan(): Promise<number> {
  const from = Number(await usage().getAttribute('data-from'));
  const to = Number(await usage().getAttribute('data-to'));
  return to - from;
}

/** Hovers the middle of the plot area of a chart: the tooltip for the nearest bucket appears. */
async function hover(id: string): Promise<Locator> {
  const frame = chart(id).locator('.usage-chart-frame');
  await frame.scrollIntoViewIfNeeded();
  const box = await frame.boundingBox();
  if (!box) throw new Error(`chart ${id} is not drawn`);
  // Right of the Y axis, towards the latest samples.
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.5);
  const tooltip = chart(id).getByTestId('usage-tooltip');
  await expect(tooltip).toBeVisible();
  return tooltip;
}

/** Drags across a chart from one time to another, as a user selects a stretch to zoom into. */
async function dragAcross(id: string, from: number, to: number): Promise<void> {
  const frame = chart(id).locator('.usage-chart-frame');
  await frame.scrollIntoViewIfNeeded();
  const box = (await frame.boundingBox())!;
  const shownFrom = Number(await usage().getAttribute('data-from'));
  const shownTo = Number(await usage().getAttribute('data-to'));
  const left = box.x + PLOT_LEFT;
  const width = box.width - PLOT_LEFT - PLOT_RIGHT;
  const x = (t: number) => left + Math.min(1, Math.max(0, (t - shownFrom) / (shownTo - shownFrom))) * width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x(from), y);
  await page.mouse.down();
  await page.mouse.move((x(from) + x(to)) / 2, y, { steps: 4 });
  await expect(chart(id).locator('.usage-selection')).toBeAttached();
  await page.mouse.move(x(to), y, { steps: 4 });
  await page.mouse.up();
  await expect(usage()).toHaveAttribute('data-range', 'zoom');
  await expect(usage()).toHaveAttribute('data-loading', 'false');
}

/** When the sweeps of this spec ran: the times of the load samples stored. */
async function sampleTimes(): Promise<number[]> {
  const now = Date.now();
  const result = await callOk<{ series: { points: ({ t: number } | null)[] }[] }>(page, 'metrics.query', { serverId, series: ['load.1'], from: now - HOUR, to: now });
  return (result.series[0]?.points ?? []).filter((p) => p !== null).map((p) => p.t);
}

/**
 * A few seconds of samples are a sliver of an hour: zoom in twice, as a user would, until they fill the chart
 * (first to a few minutes around them, then to a few seconds).
 */
async function zoomOntoSamples(id: string): Promise<void> {
  const times = await sampleTimes();
  const first = Math.min(...times);
  const last = Math.max(...times);
  await dragAcross(id, first - 3 * 60_000, last + 3 * 60_000);
  await dragAcross(id, first - 1_500, last + 1_500);
}

async function downloaded(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

test.describe('resource usage charts', () => {
  test('first run, and a server whose host key is pinned', async () => {
    await completeFirstRun(page, served.url);

    const server = await callOk<{ id: string }>(page, 'servers.create', {
      server: {
        name: 'garage-1',
        host: fixture.host,
        port: fixture.port,
        username: fixture.username,
        auth: { kind: 'key', keyPath: fixture.privateKeyPath, passphrase: { kind: 'none' } },
        // Only the sweeps this spec asks for.
        sweepIntervalSeconds: 3600,
      },
    });
    serverId = server.id;
    await callOk(page, 'servers.acceptHostKey', { id: serverId, fingerprint: fixture.hostKeyFingerprint });
    // The "server" is this machine: its load (a parallel build) is not the spec's to control.
    await callOk(page, 'servers.updateRules', { id: serverId, rules: { load_per_core: { enabled: false, threshold: 2, failAfter: 4, clearAfter: 4 } } });
  });

  test('before the first sweep the server page says usage will come', async () => {
    await page.goto(`${served.origin}/#/servers/${serverId}`);
    await expect(page.getByTestId('server-name')).toHaveText('garage-1');
    await expect(page.getByTestId('usage-empty')).toContainText('Usage appears after the first sweeps.');
    await expect(page.getByTestId('disk-forecast-none')).toBeVisible();
    await screenshot('en-usage-empty', usage());
  });

  test('a few sweeps draw the charts', async () => {
    // Rates (network, disk IO, CPU shares) need two samples; a second apart, the counters have moved.
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      await callOk(page, 'health.sweep', { serverId });
      await page.waitForTimeout(1_200);
    }
    // The page follows the sweeps (health.updated) without a reload.
    for (const id of ['cpu', 'load', 'memory', 'disk:/']) await expect(chart(id)).toBeVisible();
    await expect(page.locator('[data-testid="usage-chart"][data-chart^="net:"]').first()).toBeVisible();
    await page.getByTestId('usage-range-1h').click();
    await expect(usage()).toHaveAttribute('data-range', '1h');
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    expect(await shownSpan()).toBe(HOUR);

    // Lines with several points, not just an empty frame.
    expect(await mostPoints('load')).toBeGreaterThanOrEqual(SWEEPS - 1);
    expect(await mostPoints('memory')).toBeGreaterThanOrEqual(SWEEPS - 1);
    expect(await mostPoints('cpu')).toBeGreaterThanOrEqual(SWEEPS - 2);
    // The disk chart has its alert line at the disk_space threshold of the filesystem's size.
    await expect(chart('disk:/').locator('.usage-threshold line')).toHaveCount(1);
    await expect(chart('disk:/')).toContainText('Alert at 90%');
    await expect(chart('memory')).toContainText('Alert at 95%');
    await screenshot('en-server-usage-1h', usage());
  });

  test('switching ranges queries that range, and the charts follow', async () => {
    const tick = () => chart('load').locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').first();
    await expect(tick()).toHaveText(/^\d{1,2}:\d{2}\s?(AM|PM)$/);

    await page.getByTestId('usage-range-24h').click();
    await expect(usage()).toHaveAttribute('data-range', '24h');
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    expect(await shownSpan()).toBe(DAY);
    expect(await mostPoints('load')).toBeGreaterThanOrEqual(1);

    await page.getByTestId('usage-range-7d').click();
    await expect(usage()).toHaveAttribute('data-range', '7d');
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    expect(await shownSpan()).toBe(7 * DAY);
    // Days, not clock times, on a week.
    await expect(tick()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}$/);
    // A few seconds of samples on a week: still drawn (a dot where there is no line to draw).
    await expect(chart('load').locator('.usage-dot, path.recharts-curve').first()).toBeAttached();
    await screenshot('en-server-usage-7d', usage());

    await page.getByTestId('usage-range-1h').click();
    await expect(usage()).toHaveAttribute('data-range', '1h');
    await expect(usage()).toHaveAttribute('data-loading', 'false');
  });

  test('dragging across a chart zooms in, with units in the tooltips', async () => {
    await zoomOntoSamples('memory');
    expect(await shownSpan()).toBeLessThan(30_000);
    await expect(page.getByTestId('usage-zoomed')).toBeVisible();
    // Zoomed onto them, the samples are lines across the chart.
    expect(await mostPoints('load')).toBeGreaterThanOrEqual(SWEEPS - 1);

    const memory = await hover('memory');
    await expect(memory).toContainText('Memory used');
    await expect(memory.getByTestId('usage-tooltip-value').first()).toHaveText(/^\d+(\.\d+)?\s(kB|MB|GB|TB)$/);
    await screenshot('en-usage-tooltip-memory', chart('memory'));
    const cpu = await hover('cpu');
    await expect(cpu.getByTestId('usage-tooltip-value').first()).toHaveText(/^\d+(\.\d+)?%$/);
    await expect(cpu).toContainText('Total');
    await screenshot('en-usage-tooltip-cpu', chart('cpu'));
    const netId = (await page.locator('[data-testid="usage-chart"][data-chart^="net:"]').first().getAttribute('data-chart')) ?? '';
    const rate = await hover(netId);
    await expect(rate.getByTestId('usage-tooltip-value').first()).toHaveText(/^\d+(\.\d+)?\s(B|kB|MB|GB)\/s$/);
    await page.mouse.move(0, 0);
    await screenshot('en-server-usage');
  });

  test('a chart exports its series as CSV and itself as PNG', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), chart('memory').getByTestId('usage-export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^garage-1-memory-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = (await downloaded(csv)).toString('utf8').trim().split('\r\n');
    expect(header).toBe('time,mem.used,mem.used.min,mem.used.max,swap.used,swap.used.min,swap.used.max,mem.available,mem.available.min,mem.available.max,swap.total,swap.total.min,swap.total.max');
    expect(rows.length).toBeGreaterThanOrEqual(SWEEPS - 1);
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,\d+(\.\d+)?,/);

    const [png] = await Promise.all([page.waitForEvent('download'), chart('cpu').getByTestId('usage-export-png').click()]);
    expect(png.suggestedFilename()).toMatch(/^garage-1-cpu-\d{4}-\d{2}-\d{2}\.png$/);
    const bytes = await downloaded(png);
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // Width and height from the IHDR chunk: the chart at twice its size, not an empty canvas.
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(600);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(300);
    expect(bytes.length).toBeGreaterThan(8_000);
    writeFileSync(join(ARTIFACTS, 'en-usage-export-cpu.png'), bytes);
  });

  test('reset zoom goes back to the range', async () => {
    await page.getByTestId('usage-reset-zoom').click();
    await expect(usage()).toHaveAttribute('data-range', '1h');
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    expect(await shownSpan()).toBe(HOUR);
    await expect(page.getByTestId('usage-zoomed')).toHaveCount(0);
  });

  test('the disk-full forecast waits for enough history', async () => {
    const root = page.getByTestId('disk-forecast-row').filter({ has: page.locator('code', { hasText: /^\/$/ }) });
    await expect(root).toHaveAttribute('data-status', 'insufficient_history');
    await expect(root.getByTestId('disk-forecast-outlook')).toContainText('Not enough history yet (needs 7 days)');
    await expect(root).toContainText(/\d+(\.\d+)?\s(MB|GB|TB) of \d+(\.\d+)?\s(GB|TB)/);
    await screenshot('en-disk-forecast', page.getByTestId('disk-forecast'));
  });

  test('the fleet shows a CPU sparkline per server', async () => {
    await page.getByTestId('nav-servers').click();
    const sparkline = page.getByTestId('server-card').filter({ hasText: 'garage-1' }).getByTestId('server-sparkline');
    await expect(sparkline).toBeVisible();
    await expect(sparkline).not.toHaveAttribute('data-points', '0');
    await expect(sparkline.locator('path.sparkline-line, path.sparkline-dot').first()).toBeAttached();
    await screenshot('en-fleet-sparkline');
  });

  test('how long the history is kept is a setting, checked before it is saved, kept after a reload', async () => {
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('metrics-retention');
    await expect(page.locator('#retention-rawDays')).toHaveValue('14');
    await expect(page.locator('#retention-fiveMinuteDays')).toHaveValue('90');
    await expect(page.locator('#retention-hourDays')).toHaveValue('730');
    // Raw samples kept longer than the 5-minute summaries: refused before it reaches the core.
    await page.locator('#retention-rawDays').fill('120');
    await expect(card.getByTestId('retention-invalid')).toBeVisible();
    await expect(card.getByTestId('retention-save')).toBeDisabled();
    await screenshot('en-settings-retention-invalid', card);
    await page.locator('#retention-rawDays').fill('7');
    await card.getByTestId('retention-save').click();
    await expect(card.getByTestId('retention-save')).toBeDisabled();
    await page.reload();
    await expect(page.locator('#retention-rawDays')).toHaveValue('7');
    expect(await callOk(page, 'metrics.getRetention', {})).toEqual({ rawDays: 7, fiveMinuteDays: 90, hourDays: 730 });
    await screenshot('en-settings-retention', card);
    await page.getByTestId('nav-servers').click();
  });

  test('the same screens in French', async () => {
    await callOk(page, 'settings.update', { language: 'fr' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Serveurs');
    await expect(page.getByTestId('server-sparkline')).toContainText('CPU 24 h');
    await screenshot('fr-fleet-sparkline');
    await page.getByTestId('server-card').filter({ hasText: 'garage-1' }).click();
    await expect(usage()).toContainText('Utilisation des ressources');
    await page.getByTestId('usage-range-1h').click();
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    await expect(chart('memory')).toContainText('Mémoire utilisée');
    await expect(chart('disk:/')).toContainText('Alerte à 90 %');
    await zoomOntoSamples('memory');
    await expect(page.getByTestId('usage-reset-zoom')).toHaveText('Annuler le zoom');
    const memory = await hover('memory');
    await expect(memory.getByTestId('usage-tooltip-value').first()).toHaveText(/^\d+(,\d+)?\s(ko|Mo|Go|To)$/);
    await screenshot('fr-usage-tooltip-memory', chart('memory'));
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('disk-forecast')).toContainText('Pas encore assez d’historique');
    await screenshot('fr-server-usage');
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('metrics-retention')).toContainText('Historique d’utilisation gardé sur cet ordinateur');
    await screenshot('fr-settings-retention', page.getByTestId('metrics-retention'));
    await page.goBack();
    await expect(usage()).toBeVisible();
    await callOk(page, 'settings.update', { language: 'en' });
  });

  test('dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByTestId('usage-range-1h').click();
    await expect(usage()).toHaveAttribute('data-loading', 'false');
    await zoomOntoSamples('memory');
    await screenshot('en-server-usage-dark', usage());
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
