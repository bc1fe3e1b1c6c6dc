// The numbers one sweep contributes to the history, keyed by series. Rates and CPU shares come from the delta with
// the previous sweep, so they are absent on a first sweep or after a reboot: absent, never zero.
import type { DerivedMetrics } from '../health/probe/probe-delta';
import type { ProbeSample } from '../health/probe/parse-probe';
import { seriesKey } from './series-catalog';

export function sweepValues(sample: ProbeSample, derived: DerivedMetrics): Map<string, number> {
  const values = new Map<string, number>();
  const put = (metric: string, subject: string, value: number | null | undefined): void => {
    if (value !== null && value !== undefined && Number.isFinite(value)) values.set(seriesKey(metric, subject), value);
  };
  if (derived.cpu !== null) {
    put('cpu.user', '', derived.cpu.user);
    put('cpu.system', '', derived.cpu.system);
    put('cpu.iowait', '', derived.cpu.iowait);
    put('cpu.steal', '', derived.cpu.steal);
  }
  put('load.1', '', sample.load?.one);
  put('load.5', '', sample.load?.five);
  put('load.15', '', sample.load?.fifteen);
  put('mem.used', '', sample.memory.usedBytes);
  put('mem.available', '', sample.memory.availableBytes);
  put('swap.used', '', sample.memory.swapTotal - sample.memory.swapFree);
  put('swap.total', '', sample.memory.swapTotal);
  const inodes = new Map(derived.filesystems.map((fs) => [fs.mount, fs.inodesUsedPct]));
  for (const fs of sample.filesystems ?? []) {
    put('fs.used', fs.mount, fs.usedBytes);
    put('fs.avail', fs.mount, fs.availBytes);
    put('fs.inodes', fs.mount, inodes.get(fs.mount));
  }
  for (const net of derived.net) {
    put('net.rx', net.iface, net.rxBytesPerSec);
    put('net.tx', net.iface, net.txBytesPerSec);
  }
  for (const disk of derived.disks) {
    put('disk.read', disk.device, disk.readBytesPerSec);
    put('disk.write', disk.device, disk.writeBytesPerSec);
    put('disk.util', disk.device, disk.utilisationPct);
  }
  return values;
}
