/**
 * Resource usage history at scale: 50 servers × 1 year of 30-second sweeps (30 series each) laid down as the tiers
 * keep them (raw 14 days, 5-minute buckets 90 days, hourly buckets the whole year), then the database size and bytes
 * per raw value, the 30-day and 1-year queries, the cost of ingesting one sweep with its rollups, and the time the
 * console takes to draw a 30-day chart in Chromium. Run with `npm run bench:metrics`; prints each figure next to its
 * goal, never fails on one. `BENCH_METRICS_SERVERS` shrinks the fleet for a quick look.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { openCore, type Core } from '../src-main/core/core';
import { createHandlers } from '../src-main/core/handlers';
import { ServersService } from '../src-main/core/health/servers-service';
import { ingestSample } from '../src-main/core/metrics/ingest';
import { packRollup, packSample, rowKey, type RollupCell } from '../src-main/core/metrics/packing';
import { queryMetrics, type QueryContext } from '../src-main/core/metrics/query';
import { ensureSeries, ensureServerNum } from '../src-main/core/metrics/series-catalog';
import { DEFAULT_RETENTION } from '../src-main/core/metrics/tiers';
import { startHost } from '../src-main/host/host-server';
import { testPlatform } from '../src-main/testing/temp-core';
import { writeTransaction } from '../src-main/core/db/write-transaction';

const SERVERS = Number(process.env.BENCH_METRICS_SERVERS ?? 50);
const SWEEP_S = 30;
const DAY_S = 86_400;
const YEAR_S = 365 * DAY_S;
const QUERY_ROUNDS = 30;
const INGEST_ROUNDS = 300;
const DRAW_ROUNDS = 5;

/** What a typical small server reports: 3 filesystems, 2 interfaces, 2 disks. */
const SERIES = [
  'cpu.user', 'cpu.system', 'cpu.iowait', 'cpu.steal', 'load.1', 'load.5', 'load.15',
  'mem.used', 'mem.available', 'swap.used', 'swap.total',
  ...['/', '/var', '/srv'].flatMap((m) => [`fs.used:${m}`, `fs.avail:${m}`, `fs.inodes:${m}`]),
  ...['eth0', 'wg0'].flatMap((i) => [`net.rx:${i}`, `net.tx:${i}`]),
  ...['sda', 'sdb'].flatMap((d) => [`disk.read:${d}`, `disk.write:${d}`, `disk.util:${d}`]),
];
/** Typical magnitudes, so float32 and the rollups see realistic numbers. */
const SCALE = SERIES.map((key) =>
  key.startsWith('cpu.') || key.startsWith('disk.util') || key.startsWith('fs.inodes') ? 20
  : key.startsWith('load.') ? 0.8
  : key.startsWith('fs.') || key.startsWith('mem.') || key.startsWith('swap.') ? 40e9
  : 2e6,
);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? NaN;

function report(label: string, value: number, unit: string, goalBelow?: number): void {
  const verdict = goalBelow === undefined ? '' : ` (goal < ${goalBelow} ${unit}) ${value < goalBelow ? 'OK' : 'OVER'}`;
  console.log(`${label}: ${value.toFixed(value < 10 ? 2 : 1)} ${unit}${verdict}`);
}

/** A deterministic daily wave with noise and rare spikes; `fs.used` grows steadily. */
function valueAt(server: number, series: number, t: number, noise: () => number): number {
  const scale = SCALE[series] as number;
  const daily = Math.sin(((t % DAY_S) / DAY_S) * 2 * Math.PI + server);
  const spike = noise() < 0.0005 ? 4 : 1;
  const growth = (SERIES[series] as string).startsWith('fs.used') ? 1 + (t % YEAR_S) / YEAR_S : 1;
  return scale * growth * spike * (1 + 0.3 * daily + 0.1 * noise());
}

/** Lays down one server's year as the tiers would hold it after a year of sweeps. */
function synthesize(core: Core, serverId: string, server: number, nowS: number, keys: readonly string[] = SERIES): number {
  const kinds = keys.map((key) => SERIES.indexOf(key));
  let seed = server * 2_654_435_761 + 1;
  const noise = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  let rawValues = 0;
  writeTransaction(core.db, () => {
    const num = ensureServerNum(core.db, serverId);
    const positions = ensureSeries(core.db, num, keys);
    const idx = keys.map((key) => positions.get(key) as number);
    const raw = core.db.prepare('insert into metric_raw (key, vals) values (?, ?)');
    const five = core.db.prepare('insert into metric_5m (key, vals) values (?, ?)');
    const hour = core.db.prepare('insert into metric_1h (key, vals) values (?, ?)');
    const rawFrom = nowS - DEFAULT_RETENTION.rawDays * DAY_S;
    const fiveFrom = nowS - DEFAULT_RETENTION.fiveMinuteDays * DAY_S;
    const sample = new Map<number, number>();
    const fresh = (): (RollupCell | null)[] => keys.map(() => null);
    const buckets = { five: fresh(), hour: fresh() };
    let fiveStart = -1;
    let hourStart = -1;
    for (let t = nowS - YEAR_S; t < nowS; t += SWEEP_S) {
      const f = t - (t % 300);
      const h = t - (t % 3600);
      if (f !== fiveStart) {
        if (fiveStart >= fiveFrom) five.run(rowKey(num, fiveStart), packRollup(buckets.five));
        buckets.five = fresh();
        fiveStart = f;
      }
      if (h !== hourStart) {
        if (hourStart >= 0) hour.run(rowKey(num, hourStart), packRollup(buckets.hour));
        buckets.hour = fresh();
        hourStart = h;
      }
      for (let s = 0; s < keys.length; s++) {
        const v = valueAt(server, kinds[s] as number, t, noise);
        sample.set(idx[s] as number, v);
        fold(buckets.hour, idx[s] as number, v);
        if (f >= fiveFrom) fold(buckets.five, idx[s] as number, v);
      }
      if (t >= rawFrom) {
        raw.run(rowKey(num, t), packSample(keys.length, sample));
        rawValues += keys.length;
      }
    }
    five.run(rowKey(num, fiveStart), packRollup(buckets.five));
    hour.run(rowKey(num, hourStart), packRollup(buckets.hour));
  });
  return rawValues;
}

function fold(cells: (RollupCell | null)[], idx: number, v: number): void {
  const cell = cells[idx];
  if (cell == null) cells[idx] = { min: v, max: v, mean: v, count: 1 };
  else {
    cell.count++;
    cell.min = Math.min(cell.min, v);
    cell.max = Math.max(cell.max, v);
    cell.mean += (v - cell.mean) / cell.count;
  }
}

function fileBytes(core: Core): number {
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(core.dbPath).size;
}

function tableBytes(core: Core, table: string): number {
  return core.db.prepare('select sum(pgsize) from dbstat where name = ?').pluck().get(table) as number;
}

function timeQueries(core: Core, ids: string[], spanS: number, nowMs: number): number[] {
  const context: QueryContext = { nowMs, retention: DEFAULT_RETENTION, sweepIntervalMs: SWEEP_S * 1000 };
  const times: number[] = [];
  for (let i = 0; i < QUERY_ROUNDS; i++) {
    const serverId = ids[i % ids.length] as string;
    const start = performance.now();
    const result = queryMetrics(core.db, { serverId, series: ['cpu.user', 'cpu.system', 'mem.used', 'fs.used:/'], from: nowMs - spanS * 1000, to: nowMs, maxPoints: 600 }, context);
    times.push(performance.now() - start);
    if (result.series.some((s) => s.points.length === 0)) throw new Error('a query came back empty');
  }
  return times;
}

async function drawTimes(core: Core, serverId: string): Promise<number[]> {
  const host = await startHost({ core, handlers: createHandlers(core), staticDir: path.join(__dirname, '..', 'out', 'renderer'), port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
    await page.goto(host.url);
    const base = new URL(host.url);
    const times: number[] = [];
    const settled = (range: string) =>
      page.waitForFunction(
        (wanted) => {
          const section = document.querySelector('[data-testid="resource-usage"]');
          const charts = [...document.querySelectorAll('[data-testid="usage-chart"]')];
          return (
            section?.getAttribute('data-range') === wanted &&
            section.getAttribute('data-loading') === 'false' &&
            charts.length > 0 &&
            charts.every((c) => c.querySelector('path.recharts-curve[d]') !== null)
          );
        },
        range,
        { polling: 'raf' },
      );
    for (let i = 0; i < DRAW_ROUNDS; i++) {
      await page.goto(`${base.origin}/#/servers/${serverId}`);
      await page.getByTestId('usage-range-1h').click();
      await settled('1h');
      // From the click to the 30-day lines on screen (two frames after the DOM has them: painted), as the page measures it.
      const start = await page.evaluate(() => performance.now());
      await page.getByTestId('usage-range-30d').click();
      await settled('30d');
      const end = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))));
      times.push(end - start);
    }
    const charts = await page.getByTestId('usage-chart').count();
    console.log(`  (${charts} charts on the page, ${await page.locator('[data-testid="resource-usage"]').getAttribute('data-tier')} tier)`);
    return times;
  } finally {
    await browser.close();
    await host.close();
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pelote-bench-metrics-'));
  const core = openCore({ dataDir, platform: testPlatform() });
  try {
    core.settings.update({ associationName: 'Bench', language: 'en' });
    const servers = new ServersService(core);
    const ids = Array.from({ length: SERVERS }, (_, i) =>
      servers.create({ name: `srv-${i}`, host: '127.0.0.1', port: 22, username: 'admin', auth: { kind: 'agent' }, sweepIntervalSeconds: SWEEP_S }).id,
    );
    const nowS = Math.floor(Date.now() / 1000);
    const empty = fileBytes(core);
    console.log(`Synthesising ${SERVERS} servers × 1 year of ${SWEEP_S}-second sweeps, ${SERIES.length} series each…`);
    const start = performance.now();
    let rawValues = 0;
    ids.forEach((id, i) => (rawValues += synthesize(core, id, i, nowS)));
    console.log(`  done in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    const total = fileBytes(core);
    const sampled = SERVERS * (YEAR_S / SWEEP_S) * SERIES.length;
    const raw = tableBytes(core, 'metric_raw');
    console.log(`Database file: ${(total / 1024 / 1024).toFixed(0)} MiB for ${(sampled / 1e9).toFixed(2)} billion values sampled over the year`);
    console.log(`  raw tier ${(raw / 1024 / 1024).toFixed(0)} MiB, 5-minute ${(tableBytes(core, 'metric_5m') / 1024 / 1024).toFixed(0)} MiB, hourly ${(tableBytes(core, 'metric_1h') / 1024 / 1024).toFixed(0)} MiB`);
    report('Bytes per raw value kept (raw tier pages / raw values)', raw / rawValues, 'B', 8);
    report('Bytes per value sampled (whole file / values sampled in the year)', (total - empty) / sampled, 'B');

    const nowMs = nowS * 1000;
    const month = timeQueries(core, ids, 30 * DAY_S, nowMs);
    report('30-day query, 4 series, median', median(month), 'ms', 30);
    report('30-day query, 4 series, p95', p95(month), 'ms');
    const year = timeQueries(core, ids, YEAR_S, nowMs);
    report('1-year query, 4 series, median', median(year), 'ms', 50);
    report('1-year query, 4 series, p95', p95(year), 'ms');

    const ingest: number[] = [];
    const values = new Map(SERIES.map((key, s) => [key, SCALE[s] as number]));
    for (let i = 0; i < INGEST_ROUNDS; i++) {
      const serverId = ids[i % ids.length] as string;
      const at = (nowS + SWEEP_S * (1 + Math.floor(i / ids.length))) * 1000;
      const t0 = performance.now();
      writeTransaction(core.db, () => ingestSample(core.db, serverId, at, values));
      ingest.push(performance.now() - t0);
    }
    report('Ingest one sweep with its rollups (own transaction), median', median(ingest), 'ms', 5);
    report('Ingest one sweep with its rollups, p95', p95(ingest), 'ms');

    // One more server that only reports CPU: its page has a single chart, the figure the goal is about.
    const single = servers.create({ name: 'cpu-only', host: '127.0.0.1', port: 22, username: 'admin', auth: { kind: 'agent' }, sweepIntervalSeconds: SWEEP_S }).id;
    synthesize(core, single, SERVERS, nowS, SERIES.filter((key) => key.startsWith('cpu.')));
    report('Draw one 30-day chart in Chromium (range click → drawn), median', median(await drawTimes(core, single)), 'ms', 150);
    report('Draw a full server page of 30-day charts, median', median(await drawTimes(core, ids[0] as string)), 'ms');
  } finally {
    core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
