// Typed results from the probe's output (probe-script.ts). The cpu, memory and uptime sections are required: without
// them the output is not a probe's (a login banner, a truncated stream, another shell's error) and parsing fails with
// `probe_garbage`. Every other section may be missing or unreadable: its field is then null. No field is ever NaN.
import { CoreError } from '../../errors';
import { PROBE_HEADER } from './probe-script';

/** Cumulative ticks since boot (USER_HZ), from the `cpu` line of /proc/stat. */
export interface CpuCounters {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface LoadAverage {
  one: number;
  five: number;
  fifteen: number;
}

export interface MemorySample {
  totalBytes: number;
  availableBytes: number;
  usedBytes: number;
  swapTotal: number;
  swapFree: number;
}

export interface FilesystemSample {
  mount: string;
  device: string;
  type: string;
  sizeBytes: number;
  usedBytes: number;
  availBytes: number;
  /** Null where df -i said nothing about this mount. 0 on filesystems without a fixed inode table (btrfs). */
  inodes: number | null;
  inodesUsed: number | null;
  inodesFree: number | null;
}

/** Cumulative since the interface appeared. */
export interface NetSample {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

/** Cumulative since boot. */
export interface DiskSample {
  device: string;
  readBytes: number;
  writeBytes: number;
  /** Milliseconds spent doing I/O. */
  ioMs: number;
}

export interface ServiceSample {
  id: string;
  /** Null: no unit declared, or systemd does not run there. */
  unitActive: boolean | null;
  /** systemctl's word (active, inactive, failed, activating...), for the "why". */
  unitState: string | null;
  processPresent: boolean | null;
  portListening: boolean | null;
}

export interface ProbeSample {
  cpu: CpuCounters;
  /** Online CPUs (the cpuN lines of /proc/stat), for the load per core. */
  cpuCount: number | null;
  load: LoadAverage | null;
  memory: MemorySample;
  filesystems: FilesystemSample[] | null;
  net: NetSample[] | null;
  disks: DiskSample[] | null;
  uptimeSeconds: number;
  /** Unix seconds. */
  bootTime: number | null;
  /** Null: systemd does not run there. */
  failedUnits: string[] | null;
  rebootRequired: boolean | null;
  pendingUpgrades: number | null;
  services: ServiceSample[];
  /** False when the output stopped before the end marker (the sections that arrived are still used). */
  complete: boolean;
}

interface Section {
  args: string[];
  lines: string[];
}

const SECTION_PREFIX = '@section ';
const UINT = /^\d{1,20}$/;
const DECIMAL = /^\d{1,20}(?:\.\d{1,9})?$/;
const SECTOR_BYTES = 512; // /proc/diskstats counts 512-byte sectors whatever the device's own sector size
const KIB = 1024;
// Loopback and the host ends of container links only repeat traffic counted elsewhere.
const IGNORED_IFACE = /^(?:lo|veth.*)$/;

export function parseProbe(stdout: string): ProbeSample {
  const sections = splitSections(stdout);
  const section = (name: string): Section | null => sections.get(name) ?? null;
  const stat = section('stat');
  return {
    cpu: required('cpu', parseCpu(stat)),
    cpuCount: parseCpuCount(stat),
    load: parseLoad(section('loadavg')),
    memory: required('memory', parseMemory(section('meminfo'))),
    filesystems: parseFilesystems(section('mounts'), section('df'), section('dfi')),
    net: parseNet(section('netdev')),
    disks: parseDisks(section('diskstats')),
    uptimeSeconds: required('uptime', parseUptime(section('uptime'))),
    bootTime: parseBootTime(stat),
    failedUnits: parseFailedUnits(section('failed-units')),
    rebootRequired: parseRebootRequired(section('reboot-required')),
    pendingUpgrades: parseUpgrades(section('upgrades')),
    services: parseServices(section('services')),
    complete: sections.has('end'),
  };
}

function garbage(section: string, message: string): CoreError {
  return new CoreError('probe_garbage', `The server's health probe output is unusable: ${message}`, { section });
}

function required<T>(name: string, value: T | null): T {
  if (value === null) throw garbage(name, `the ${name} section is missing or malformed`);
  return value;
}

function splitSections(stdout: string): Map<string, Section> {
  const lines = stdout.split('\n');
  // A last line without its newline may have been cut anywhere, even inside a number.
  lines.pop();
  // Anything before the header (a shell start-up file's chatter) is not ours.
  const start = lines.findIndex((line) => stripCr(line) === PROBE_HEADER);
  if (start < 0) throw garbage('header', 'no probe header');
  const sections = new Map<string, Section>();
  let current: Section | null = null;
  for (const raw of lines.slice(start + 1)) {
    const line = stripCr(raw);
    if (line.startsWith(SECTION_PREFIX)) {
      const [name = '', ...args] = words(line.slice(SECTION_PREFIX.length));
      current = { args, lines: [] };
      if (name === 'unsupported') throw unsupported(args.join(' '));
      // A repeated section is not the script's doing: keep the first.
      if (!sections.has(name)) sections.set(name, current);
    } else if (current !== null) {
      current.lines.push(line);
    }
  }
  return sections;
}

function unsupported(system: string): CoreError {
  return new CoreError('probe_unsupported', `The server is not Linux (${system || 'unknown system'})`, { system });
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function words(line: string): string[] {
  return line.trim().split(/\s+/).filter((word) => word !== '');
}

function unavailable(section: Section | null): section is null {
  return section === null || section.args[0] === 'unavailable';
}

function uint(text: string | undefined): number | null {
  return text !== undefined && UINT.test(text) ? Number(text) : null;
}

function decimal(text: string | undefined): number | null {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : null;
}

/** All of `texts` as unsigned integers, or null if any is not one. */
function uints(texts: (string | undefined)[]): number[] | null {
  const values = texts.map(uint);
  return values.every((value) => value !== null) ? values : null;
}

function parseCpu(stat: Section | null): CpuCounters | null {
  const line = stat?.lines.find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const fields = words(line).slice(1, 9);
  // Kernels before 2.6.11 lack steal, before 2.5.41 iowait: absent counters stay at zero.
  if (fields.length < 4) return null;
  const values = uints(fields);
  if (values === null) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

function parseCpuCount(stat: Section | null): number | null {
  const count = statValue(stat, 'cpus');
  return count === 0 ? null : count;
}

function parseBootTime(stat: Section | null): number | null {
  return statValue(stat, 'btime');
}

/** The number after `key` on its line of the stat section. */
function statValue(stat: Section | null, key: string): number | null {
  const line = stat?.lines.find((l) => l.startsWith(`${key} `));
  return uint(line === undefined ? undefined : words(line)[1]);
}

function parseLoad(section: Section | null): LoadAverage | null {
  const [one, five, fifteen] = words(section?.lines[0] ?? '').map(decimal);
  if (one == null || five == null || fifteen == null) return null;
  return { one, five, fifteen };
}

function parseMemory(section: Section | null): MemorySample | null {
  if (section === null) return null;
  const kib = new Map<string, number>();
  for (const line of section.lines) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d{1,20})(?: kB)?$/.exec(line);
    if (match) kib.set(match[1] ?? '', Number(match[2]));
  }
  const total = kib.get('MemTotal');
  const free = kib.get('MemFree');
  if (total === undefined || total === 0) return null;
  // MemAvailable appeared in Linux 3.14; before, free + buffers + page cache was the usual estimate.
  const available =
    kib.get('MemAvailable') ?? (free === undefined ? undefined : free + (kib.get('Buffers') ?? 0) + (kib.get('Cached') ?? 0));
  if (available === undefined) return null;
  const availableBytes = Math.min(available, total) * KIB;
  return {
    totalBytes: total * KIB,
    availableBytes,
    usedBytes: total * KIB - availableBytes,
    swapTotal: (kib.get('SwapTotal') ?? 0) * KIB,
    swapFree: (kib.get('SwapFree') ?? 0) * KIB,
  };
}

function parseUptime(section: Section | null): number | null {
  return decimal(words(section?.lines[0] ?? '')[0]);
}

interface DfRow {
  device: string;
  numbers: [number, number, number];
}

function parseFilesystems(mounts: Section | null, df: Section | null, dfi: Section | null): FilesystemSample[] | null {
  if (mounts === null || df === null) return null;
  // A mount point mounted over keeps only its last mount visible.
  const types = new Map<string, string>();
  for (const line of mounts.lines) {
    const space = line.indexOf(' ');
    if (space > 0) types.set(line.slice(space + 1), line.slice(0, space));
  }
  const space = dfRows(df);
  const inodes = dfi === null ? new Map<string, DfRow>() : dfRows(dfi);
  const seen = new Set<string>();
  const filesystems: FilesystemSample[] = [];
  for (const [mount, type] of types) {
    const row = space.get(mount);
    if (row === undefined) continue; // df could not read it (another user's FUSE mount...)
    const [sizeKib, usedKib, availKib] = row.numbers;
    // Bind mounts show one filesystem several times: keep its first mount point.
    const key = `${row.device}\0${sizeKib}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const inodeRow = inodes.get(mount);
    filesystems.push({
      mount,
      device: row.device,
      type,
      sizeBytes: sizeKib * KIB,
      usedBytes: usedKib * KIB,
      availBytes: availKib * KIB,
      inodes: inodeRow?.numbers[0] ?? null,
      inodesUsed: inodeRow?.numbers[1] ?? null,
      inodesFree: inodeRow?.numbers[2] ?? null,
    });
  }
  return filesystems;
}

/** `df -P` rows by mount point. The mount point is the rest of the line: it may contain blanks. */
function dfRows(section: Section): Map<string, DfRow> {
  const rows = new Map<string, DfRow>();
  for (const line of section.lines) {
    const match = /^(\S+)\s+(\d{1,20})\s+(\d{1,20})\s+(\d{1,20})\s+(?:\d{1,3}%|-)\s+(\/.*)$/.exec(line);
    if (!match) continue; // the header, or a line cut short
    const [, device = '', a = '', b = '', c = '', mount = ''] = match;
    rows.set(mount, { device, numbers: [Number(a), Number(b), Number(c)] });
  }
  return rows;
}

function parseNet(section: Section | null): NetSample[] | null {
  if (section === null) return null;
  const net: NetSample[] = [];
  for (const line of section.lines) {
    // "  eth0: 123 ..." — old kernels glue the first number to the colon.
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    const fields = uints(words(line.slice(colon + 1)));
    if (iface === '' || iface.includes(' ') || IGNORED_IFACE.test(iface) || fields === null || fields.length < 16) {
      continue;
    }
    net.push({ iface, rxBytes: fields[0] ?? 0, txBytes: fields[8] ?? 0 });
  }
  return net;
}

function parseDisks(section: Section | null): DiskSample[] | null {
  if (section === null) return null;
  const disks: DiskSample[] = [];
  for (const line of section.lines) {
    const [, , device, ...rest] = words(line);
    const fields = uints(rest.slice(0, 11));
    if (device === undefined || fields === null || fields.length < 11) continue;
    // After the name: reads, merged, sectors read, ms reading, writes, merged, sectors written, ms writing,
    // in flight, ms doing I/O.
    disks.push({
      device,
      readBytes: (fields[2] ?? 0) * SECTOR_BYTES,
      writeBytes: (fields[6] ?? 0) * SECTOR_BYTES,
      ioMs: fields[9] ?? 0,
    });
  }
  return disks;
}

function parseFailedUnits(section: Section | null): string[] | null {
  if (unavailable(section)) return null;
  // "unit load active sub description": --plain leaves out the status bullet before the unit.
  return section.lines.map((line) => words(line)[0]).filter((unit) => unit !== undefined);
}

function parseRebootRequired(section: Section | null): boolean | null {
  if (unavailable(section)) return null;
  const answer = section.lines[0]?.trim();
  return answer === 'yes' ? true : answer === 'no' ? false : null;
}

function parseUpgrades(section: Section | null): number | null {
  if (unavailable(section)) return null;
  const [tool, statusText] = section.args;
  const status = uint(statusText);
  const { lines } = section;
  switch (tool) {
    case 'apt-check': {
      // "upgrades;security-upgrades" on stderr
      const match = status === 0 ? /^(\d{1,9});\d{1,9}$/.exec(lines[0]?.trim() ?? '') : null;
      return match ? Number(match[1]) : null;
    }
    case 'apt':
      return status === 0 ? count(lines, (line) => line.includes('[upgradable from:')) : null;
    case 'apk':
      // "name-1.2-r0   < 1.2-r1"; the first line is the "Installed: Available:" heading
      return status === 0 ? count(lines, (line) => /^\S+\s+<\s+\S+/.test(line)) : null;
    case 'dnf':
    case 'yum':
      // check-update exits 100 when there are updates, 0 when none, 1 on error (no cache, for one).
      return status === 0 ? 0 : status === 100 ? countDnfPackages(lines) : null;
    default:
      return null;
  }
}

function count(lines: string[], predicate: (line: string) => boolean): number {
  return lines.filter(predicate).length;
}

/** "name.arch  version  repo" rows, up to the "Obsoleting Packages" list, which repeats some of them. */
function countDnfPackages(lines: string[]): number {
  const end = lines.findIndex((line) => line.startsWith('Obsoleting Packages'));
  return count(end < 0 ? lines : lines.slice(0, end), (line) => /^\S+\.\S+\s+\S+\s+\S+$/.test(line.trim()));
}

function parseServices(section: Section | null): ServiceSample[] {
  const services = new Map<string, ServiceSample>();
  for (const line of section?.lines ?? []) {
    const [keyword, id, kind, value, ...extra] = words(line);
    if (keyword !== 'service' || id === undefined || extra.length > 0) continue;
    if (kind === 'declared') {
      services.set(id, { id, unitActive: null, unitState: null, processPresent: null, portListening: null });
      continue;
    }
    const service = services.get(id);
    if (service === undefined || value === undefined) continue;
    if (kind === 'unit') {
      service.unitState = value;
      // systemd's "reloading" is an active unit re-reading its configuration.
      service.unitActive = value === 'active' || value === 'reloading';
    } else if (kind === 'process' || kind === 'port') {
      const yes = value === 'yes' ? true : value === 'no' ? false : null;
      if (kind === 'process') service.processPresent = yes;
      else service.portListening = yes;
    }
  }
  return [...services.values()];
}
