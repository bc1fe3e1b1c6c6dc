/** Which usage charts a server gets, from the series it has stored: one per kind, and one per mount, interface, disk. */
import type { MetricName, MetricUnit, SeriesInfo } from '../../../src-main/contract';

export type ChartKind = 'cpu' | 'load' | 'memory' | 'disk' | 'net' | 'io' | 'util';

export interface LineSpec {
  key: string;
  /** Translation key of the line's name; null when the subject (a disk's name) is the name. */
  label: string | null;
  subject: string;
}

export interface ChartSpec {
  /** Stable and unique on the page: `cpu`, `disk:/var`, `net:eth0`… */
  id: string;
  kind: ChartKind;
  /** The mount, interface or disk; '' for server-wide charts. */
  subject: string;
  unit: MetricUnit;
  /** Drawn, in this order (and this colour order). */
  lines: LineSpec[];
  /** Queried for the threshold line (the size of a filesystem, the total memory), exported with the rest. */
  extra: string[];
  /** The lines add up (CPU time): drawn as stacked areas. */
  stacked: boolean;
}

/** Every key a chart queries: its lines, then the extras. */
export const chartKeys = (spec: ChartSpec): string[] => [...spec.lines.map((line) => line.key), ...spec.extra];

const key = (metric: MetricName, subject = ''): string => (subject ? `${metric}:${subject}` : metric);

/** '/' first, then by path, so the root filesystem leads. */
const byMount = (a: string, b: string): number => (a === '/' ? -1 : b === '/' ? 1 : a.localeCompare(b));

export function chartSpecs(series: readonly SeriesInfo[]): ChartSpec[] {
  const has = new Set(series.map((s) => s.key));
  const subjectsOf = (metric: MetricName): string[] => [...new Set(series.filter((s) => s.metric === metric).map((s) => s.subject))];
  const lines = (metrics: MetricName[], subject = ''): LineSpec[] =>
    metrics.filter((m) => has.has(key(m, subject))).map((m) => ({ key: key(m, subject), label: `metrics.series.${m}`, subject }));
  const specs: ChartSpec[] = [];
  const push = (spec: ChartSpec) => {
    if (spec.lines.length > 0) specs.push({ ...spec, extra: spec.extra.filter((k) => has.has(k)) });
  };

  push({ id: 'cpu', kind: 'cpu', subject: '', unit: 'percent', lines: lines(['cpu.user', 'cpu.system', 'cpu.iowait', 'cpu.steal']), extra: [], stacked: true });
  push({ id: 'load', kind: 'load', subject: '', unit: 'load', lines: lines(['load.1', 'load.5', 'load.15']), extra: [], stacked: false });
  push({ id: 'memory', kind: 'memory', subject: '', unit: 'bytes', lines: lines(['mem.used', 'swap.used']), extra: ['mem.available', 'swap.total'], stacked: false });
  for (const mount of subjectsOf('fs.used').sort(byMount)) {
    push({ id: `disk:${mount}`, kind: 'disk', subject: mount, unit: 'bytes', lines: lines(['fs.used'], mount), extra: [key('fs.avail', mount)], stacked: false });
  }
  for (const iface of [...new Set([...subjectsOf('net.rx'), ...subjectsOf('net.tx')])].sort()) {
    push({ id: `net:${iface}`, kind: 'net', subject: iface, unit: 'bytes_per_second', lines: lines(['net.rx', 'net.tx'], iface), extra: [], stacked: false });
  }
  const disks = [...new Set([...subjectsOf('disk.read'), ...subjectsOf('disk.write')])].sort();
  for (const disk of disks) {
    push({ id: `io:${disk}`, kind: 'io', subject: disk, unit: 'bytes_per_second', lines: lines(['disk.read', 'disk.write'], disk), extra: [], stacked: false });
  }
  // Utilisation of every disk on one chart: which one is busy is the question.
  const utilLines = subjectsOf('disk.util').sort().map((disk) => ({ key: key('disk.util', disk), label: null, subject: disk }));
  push({ id: 'util', kind: 'util', subject: '', unit: 'percent', lines: utilLines, extra: [], stacked: false });
  return specs;
}
