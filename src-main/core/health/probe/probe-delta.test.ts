import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbe, type ProbeSample } from './parse-probe';
import { deriveMetrics } from './probe-delta';

const first = parseProbe(readFileSync(path.join(__dirname, 'fixtures', 'debian.txt'), 'utf8'));
const TEN_SECONDS = 10_000;

/** `first`, ten seconds later: 1000 CPU ticks, known traffic and disk activity. */
function later(change: (sample: ProbeSample) => void = () => undefined): ProbeSample {
  const next = structuredClone(first);
  const c = next.cpu;
  c.user += 250;
  c.nice += 50;
  c.system += 80;
  c.irq += 0;
  c.softirq += 40;
  c.idle += 500;
  c.iowait += 50;
  c.steal += 30;
  next.uptimeSeconds += 10;
  const [ens3, docker0] = next.net ?? [];
  ens3!.rxBytes += 1_250_000;
  ens3!.txBytes += 40_000;
  docker0!.rxBytes += 5_000;
  const [vda] = next.disks ?? [];
  vda!.readBytes += 2_048_000;
  vda!.writeBytes += 512_000;
  vda!.ioMs += 2_500;
  change(next);
  return next;
}

describe('deriveMetrics', () => {
  it('computes CPU shares, rates and utilisation from two sweeps (hand-computed)', () => {
    const metrics = deriveMetrics(first, later(), TEN_SECONDS);
    expect(metrics.rebooted).toBe(false);
    // 1000 ticks: user 250 + nice 50, system 80 + softirq 40, iowait 50, steal 30, idle 500.
    expect(metrics.cpu).toEqual({ user: 30, system: 12, iowait: 5, steal: 3, busy: 45 });
    expect(metrics.net).toEqual([
      { iface: 'ens3', rxBytesPerSec: 125_000, txBytesPerSec: 4_000 },
      { iface: 'docker0', rxBytesPerSec: 500, txBytesPerSec: 0 },
      { iface: 'wg0', rxBytesPerSec: 0, txBytesPerSec: 0 },
    ]);
    expect(metrics.disks[0]).toEqual({
      device: 'vda', readBytesPerSec: 204_800, writeBytesPerSec: 51_200, utilisationPct: 25,
    });
    expect(metrics.disks[1]).toEqual({ device: 'vdb', readBytesPerSec: 0, writeBytesPerSec: 0, utilisationPct: 0 });
  });

  it('computes memory, swap, space and inode usage from the current sweep alone', () => {
    const metrics = deriveMetrics(null, first, TEN_SECONDS);
    // (4010164 - 2871336) / 4010164; swap (1048572 - 998400) / 1048572
    expect(metrics.memoryUsedPct).toBeCloseTo(28.3985, 3);
    expect(metrics.swapUsedPct).toBeCloseTo(4.7848, 3);
    // / : 41234560 / (41234560 + 36427876), inodes 412345 / 5160960; the EFI partition has no inode table.
    const [root, efi, archives] = metrics.filesystems;
    expect(metrics.filesystems.map((fs) => fs.mount)).toEqual(['/', '/boot/efi', '/srv/archives 2024']);
    expect(root?.usedPct).toBeCloseTo(53.0946, 3);
    expect(root?.inodesUsedPct).toBeCloseTo(7.9897, 3);
    expect(efi?.usedPct).toBeCloseTo(9.3464, 3);
    expect(efi?.inodesUsedPct).toBeNull();
    expect(archives?.usedPct).toBeCloseTo(82.2692, 3);
    expect(archives?.inodesUsedPct).toBeCloseTo(3.6727, 3);
  });

  it('has no rates on the first sweep', () => {
    const metrics = deriveMetrics(null, first, TEN_SECONDS);
    expect(metrics.rebooted).toBe(false);
    expect(metrics.cpu).toBeNull();
    expect(metrics.net.every((n) => n.rxBytesPerSec === null && n.txBytesPerSec === null)).toBe(true);
    expect(metrics.disks.every((d) => d.readBytesPerSec === null && d.utilisationPct === null)).toBe(true);
  });

  it.each([
    ['the boot time moved', (s: ProbeSample) => (s.bootTime = (s.bootTime ?? 0) + 3600)],
    ['the uptime went back', (s: ProbeSample) => (s.uptimeSeconds = 42)],
    [
      'the CPU counters restarted',
      (s: ProbeSample) => (s.cpu = { user: 10, nice: 0, system: 5, idle: 100, iowait: 0, irq: 0, softirq: 0, steal: 0 }),
    ],
  ])('detects a reboot when %s, and gives no rates for that sweep', (_, reboot) => {
    const metrics = deriveMetrics(first, later(reboot), TEN_SECONDS);
    expect(metrics.rebooted).toBe(true);
    expect(metrics.cpu).toBeNull();
    expect(metrics.net.map((n) => [n.rxBytesPerSec, n.txBytesPerSec])).toEqual([[null, null], [null, null], [null, null]]);
    expect(metrics.disks.map((d) => [d.readBytesPerSec, d.writeBytesPerSec, d.utilisationPct])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    // What needs no previous sweep is still there.
    expect(metrics.memoryUsedPct).toBeGreaterThan(0);
  });

  it('takes a boot time that moved by a few seconds (clock adjustments) for the same boot', () => {
    const metrics = deriveMetrics(first, later((s) => (s.bootTime = (s.bootTime ?? 0) + 3)), TEN_SECONDS);
    expect(metrics.rebooted).toBe(false);
    expect(metrics.cpu?.busy).toBe(45);
  });

  it('gives a null rate to one restarted interface or disk, not a negative or huge one', () => {
    const metrics = deriveMetrics(
      first,
      later((s) => {
        s.net![2]!.rxBytes = 100; // wg0 re-created
        s.disks![1]!.ioMs = 0;
      }),
      TEN_SECONDS,
    );
    expect(metrics.rebooted).toBe(false);
    expect(metrics.net[2]).toEqual({ iface: 'wg0', rxBytesPerSec: null, txBytesPerSec: 0 });
    expect(metrics.net[0]?.rxBytesPerSec).toBe(125_000);
    expect(metrics.disks[1]?.utilisationPct).toBeNull();
    expect(metrics.disks[1]?.readBytesPerSec).toBe(0);
  });

  it('has no rate for an interface or disk that just appeared', () => {
    const metrics = deriveMetrics(
      first,
      later((s) => s.net!.push({ iface: 'tun0', rxBytes: 10_000, txBytes: 20_000 })),
      TEN_SECONDS,
    );
    expect(metrics.net.at(-1)).toEqual({ iface: 'tun0', rxBytesPerSec: null, txBytesPerSec: null });
  });

  it('never gives a negative CPU share when iowait steps back, and caps utilisation at 100 %', () => {
    const metrics = deriveMetrics(
      first,
      later((s) => {
        s.cpu.iowait = first.cpu.iowait - 20; // seen on NO_HZ kernels
        s.disks![0]!.ioMs = first.disks![0]!.ioMs + 10_250; // counted across a slightly longer window than ours
      }),
      TEN_SECONDS,
    );
    expect(metrics.rebooted).toBe(false);
    // 950 ticks without iowait: user 300, system 120, steal 30, idle 500.
    expect(metrics.cpu?.iowait).toBe(0);
    expect(metrics.cpu?.busy).toBeCloseTo((450 / 950) * 100, 10);
    expect(metrics.disks[0]?.utilisationPct).toBe(100);
  });

  it('has no rates for an interval that is not positive', () => {
    const metrics = deriveMetrics(first, later(), 0);
    expect(metrics.cpu).toBeNull();
    expect(metrics.net[0]?.rxBytesPerSec).toBeNull();
    expect(metrics.disks[0]?.utilisationPct).toBeNull();
  });

  it('has no swap share without swap', () => {
    const metrics = deriveMetrics(null, later((s) => (s.memory = { ...s.memory, swapTotal: 0, swapFree: 0 })), 1);
    expect(metrics.swapUsedPct).toBeNull();
  });
});
