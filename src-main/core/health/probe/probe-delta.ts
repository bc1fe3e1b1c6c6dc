// Percentages and rates from two consecutive probe samples. The kernel's counters are cumulative, so a rate needs the
// previous sweep; after a reboot they restart from zero, and a naive delta would be negative or absurd. Rates are
// then null, never a made-up number.
import type { CpuCounters, ProbeSample } from './parse-probe';

/** Percentages of all CPU time between the two samples (0–100). */
export interface CpuPercent {
  /** user + nice */
  user: number;
  /** system + irq + softirq */
  system: number;
  iowait: number;
  steal: number;
  /** Everything but idle and iowait: steal counts, as time the server wanted but did not get. */
  busy: number;
}

export interface NetRate {
  iface: string;
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
}

export interface DiskRate {
  device: string;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  /** Share of the time the disk was busy (0–100). */
  utilisationPct: number | null;
}

export interface FilesystemUsage {
  mount: string;
  /** As df computes it: used / (used + available), so root's reserved blocks count as full. */
  usedPct: number | null;
  inodesUsedPct: number | null;
}

export interface DerivedMetrics {
  rebooted: boolean;
  /** Null on the first sweep, after a reboot, or when no CPU time passed. */
  cpu: CpuPercent | null;
  memoryUsedPct: number;
  swapUsedPct: number | null;
  net: NetRate[];
  disks: DiskRate[];
  filesystems: FilesystemUsage[];
}

/**
 * More than clock jitter: /proc/stat's btime is derived from the wall clock, which NTP adjusts, so it moves a little
 * between sweeps without a reboot.
 */
export const BOOT_TIME_TOLERANCE_SECONDS = 10;

export function deriveMetrics(previous: ProbeSample | null, current: ProbeSample, elapsedMs: number): DerivedMetrics {
  const rebooted = previous !== null && hasRebooted(previous, current);
  // Rates need a previous sweep from the same boot and a positive interval.
  const base = previous !== null && !rebooted && elapsedMs > 0 ? previous : null;
  const seconds = elapsedMs / 1000;
  return {
    rebooted,
    cpu: base === null ? null : cpuPercent(base.cpu, current.cpu),
    memoryUsedPct: percent(current.memory.usedBytes, current.memory.totalBytes) ?? 0,
    swapUsedPct: percent(current.memory.swapTotal - current.memory.swapFree, current.memory.swapTotal),
    net: (current.net ?? []).map((now) => {
      const before = base?.net?.find((n) => n.iface === now.iface);
      return {
        iface: now.iface,
        rxBytesPerSec: before === undefined ? null : rate(before.rxBytes, now.rxBytes, seconds),
        txBytesPerSec: before === undefined ? null : rate(before.txBytes, now.txBytes, seconds),
      };
    }),
    disks: (current.disks ?? []).map((now) => {
      const before = base?.disks?.find((d) => d.device === now.device);
      const busyMs = before === undefined ? null : delta(before.ioMs, now.ioMs);
      return {
        device: now.device,
        readBytesPerSec: before === undefined ? null : rate(before.readBytes, now.readBytes, seconds),
        writeBytesPerSec: before === undefined ? null : rate(before.writeBytes, now.writeBytes, seconds),
        utilisationPct: busyMs === null ? null : Math.min(100, (busyMs / elapsedMs) * 100),
      };
    }),
    filesystems: (current.filesystems ?? []).map((fs) => ({
      mount: fs.mount,
      usedPct: percent(fs.usedBytes, fs.usedBytes + fs.availBytes),
      inodesUsedPct: fs.inodesUsed === null || fs.inodes === null ? null : percent(fs.inodesUsed, fs.inodes),
    })),
  };
}

/**
 * The boot time moved, the uptime went back, or the CPU's total time did. Single interface or disk counters going
 * down do not count: an interface re-created (a VPN, a container) restarts its own counters only, and gets a null rate.
 */
function hasRebooted(previous: ProbeSample, current: ProbeSample): boolean {
  const bootMoved =
    previous.bootTime !== null &&
    current.bootTime !== null &&
    Math.abs(current.bootTime - previous.bootTime) > BOOT_TIME_TOLERANCE_SECONDS;
  return bootMoved || current.uptimeSeconds < previous.uptimeSeconds || cpuTotal(current.cpu) < cpuTotal(previous.cpu);
}

function cpuTotal(cpu: CpuCounters): number {
  return cpu.user + cpu.nice + cpu.system + cpu.idle + cpu.iowait + cpu.irq + cpu.softirq + cpu.steal;
}

function cpuPercent(before: CpuCounters, now: CpuCounters): CpuPercent | null {
  // Some kernels let iowait (and idle with it) step back a little: a field going back counts as zero.
  const d = (key: keyof CpuCounters): number => delta(before[key], now[key]) ?? 0;
  const user = d('user') + d('nice');
  const system = d('system') + d('irq') + d('softirq');
  const idle = d('idle');
  const iowait = d('iowait');
  const steal = d('steal');
  const total = user + system + idle + iowait + steal;
  if (total === 0) return null;
  const share = (ticks: number): number => (ticks / total) * 100;
  return {
    user: share(user),
    system: share(system),
    iowait: share(iowait),
    steal: share(steal),
    busy: share(total - idle - iowait),
  };
}

/** Null when the counter went down (restarted or wrapped). */
function delta(before: number, now: number): number | null {
  return now >= before ? now - before : null;
}

function rate(before: number, now: number, seconds: number): number | null {
  const d = delta(before, now);
  return d === null ? null : d / seconds;
}

function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : null;
}
