import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../errors';
import { parseProbe, type ProbeSample } from './parse-probe';

const KIB = 1024;
const fixture = (name: string): string => readFileSync(path.join(__dirname, 'fixtures', `${name}.txt`), 'utf8');
const debian = fixture('debian');

/** The error parseProbe throws, or undefined. */
function failure(stdout: string): CoreError | undefined {
  try {
    parseProbe(stdout);
    return undefined;
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw err;
  }
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(numbersIn);
}

function expectSane(sample: ProbeSample): void {
  expect(numbersIn(sample).filter((n) => !(Number.isFinite(n) && n >= 0))).toEqual([]);
}

/** The fixture without one section (its header and body). */
function without(stdout: string, section: string): string {
  return stdout.replace(new RegExp(`@section ${section}\\b[^\\n]*\\n(?:(?!@section )[^\\n]*\\n)*`), '');
}

describe('parseProbe on recorded layouts', () => {
  it('reads a Debian server with systemd, apt, a bind mount and a mount point with a blank', () => {
    const sample = parseProbe(debian);
    expect(sample.cpu).toEqual({
      user: 1284512, nice: 3121, system: 402877, idle: 98231554, iowait: 51233, irq: 0, softirq: 18844, steal: 9410,
    });
    expect(sample.cpuCount).toBe(2);
    expect(sample.load).toEqual({ one: 0.42, five: 0.35, fifteen: 0.31 });
    expect(sample.memory).toEqual({
      totalBytes: 4010164 * KIB,
      availableBytes: 2871336 * KIB,
      usedBytes: (4010164 - 2871336) * KIB,
      swapTotal: 1048572 * KIB,
      swapFree: 998400 * KIB,
    });
    expect(sample.filesystems).toEqual([
      {
        mount: '/', device: '/dev/vda1', type: 'ext4',
        sizeBytes: 81000696 * KIB, usedBytes: 41234560 * KIB, availBytes: 36427876 * KIB,
        inodes: 5160960, inodesUsed: 412345, inodesFree: 4748615,
      },
      {
        mount: '/boot/efi', device: '/dev/vda15', type: 'vfat',
        sizeBytes: 126678 * KIB, usedBytes: 11840 * KIB, availBytes: 114838 * KIB,
        inodes: 0, inodesUsed: 0, inodesFree: 0,
      },
      {
        mount: '/srv/archives 2024', device: '/dev/vdb1', type: 'ext4',
        sizeBytes: 515010816 * KIB, usedBytes: 402112000 * KIB, availBytes: 86664080 * KIB,
        inodes: 32768000, inodesUsed: 1203456, inodesFree: 31564544,
      },
      // /srv/backup is / bound again: left out.
    ]);
    expect(sample.net).toEqual([
      { iface: 'ens3', rxBytes: 98765432101, txBytes: 12345678901 },
      { iface: 'docker0', rxBytes: 4123345, txBytes: 92345123 },
      { iface: 'wg0', rxBytes: 551234, txBytes: 812345 },
    ]);
    expect(sample.disks).toEqual([
      { device: 'vda', readBytes: 98765432 * 512, writeBytes: 412345678 * 512, ioMs: 7654321 },
      { device: 'vdb', readBytes: 65432100 * 512, writeBytes: 123456789 * 512, ioMs: 2345678 },
    ]);
    expect(sample.uptimeSeconds).toBe(1034567.89);
    expect(sample.bootTime).toBe(1767225600);
    expect(sample.failedUnits).toEqual(['backup-nextcloud.service', 'certbot.service']);
    expect(sample.rebootRequired).toBe(true);
    expect(sample.pendingUpgrades).toBe(3);
    expect(sample.services).toEqual([
      { id: 'nextcloud', unitActive: true, unitState: 'active', processPresent: true, portListening: null },
      { id: 'etherpad', unitActive: false, unitState: 'failed', processPresent: false, portListening: false },
      { id: 'web', unitActive: true, unitState: 'active', processPresent: true, portListening: true },
    ]);
    expect(sample.complete).toBe(true);
  });

  it("reads an Alpine server: busybox df, an old kernel's diskstats, no systemd, apk", () => {
    const sample = parseProbe(fixture('alpine'));
    expect(sample.cpuCount).toBe(1);
    expect(sample.memory).toEqual({
      totalBytes: 1012176 * KIB,
      availableBytes: 781232 * KIB,
      usedBytes: (1012176 - 781232) * KIB,
      swapTotal: 0,
      swapFree: 0,
    });
    expect(sample.filesystems?.map((fs) => [fs.mount, fs.device, fs.sizeBytes, fs.availBytes, fs.inodesUsed])).toEqual([
      ['/', '/dev/sda3', 19480400 * KIB, 15054100 * KIB, 61234],
      ['/boot', '/dev/sda1', 276312 * KIB, 215764 * KIB, 312],
    ]);
    expect(sample.net).toEqual([{ iface: 'eth0', rxBytes: 412345678, txBytes: 98765432 }]);
    expect(sample.disks).toEqual([{ device: 'sda', readBytes: 3123456 * 512, writeBytes: 2345678 * 512, ioMs: 87654 }]);
    expect(sample.failedUnits).toBeNull();
    expect(sample.rebootRequired).toBe(false);
    expect(sample.pendingUpgrades).toBe(3);
    expect(sample.services).toEqual([
      { id: 'etherpad', unitActive: null, unitState: null, processPresent: true, portListening: true },
    ]);
  });

  it('reads a RHEL-like server: LVM devices, no failed unit, dnf with obsoletes', () => {
    const sample = parseProbe(fixture('rhel'));
    expect(sample.cpu.steal).toBe(0);
    expect(sample.cpuCount).toBe(8);
    expect(sample.memory.availableBytes).toBe(9876543 * KIB);
    expect(sample.filesystems?.map((fs) => [fs.mount, fs.device, fs.type])).toEqual([
      ['/', '/dev/mapper/rl-root', 'xfs'],
      ['/boot', '/dev/nvme0n1p2', 'xfs'],
      ['/home', '/dev/mapper/rl-home', 'xfs'],
      ['/boot/efi', '/dev/nvme0n1p1', 'vfat'],
    ]);
    expect(sample.net).toEqual([{ iface: 'ens192', rxBytes: 1234567890123, txBytes: 234567890123 }]);
    expect(sample.failedUnits).toEqual([]);
    expect(sample.rebootRequired).toBe(false);
    // Three updates; grub2-tools under "Obsoleting Packages" is not one more.
    expect(sample.pendingUpgrades).toBe(2 + 1);
    expect(sample.services).toEqual([
      { id: 'httpd', unitActive: true, unitState: 'active', processPresent: true, portListening: true },
    ]);
  });
});

describe('parseProbe on the other package managers', () => {
  const upgrades = (header: string, body: string): number | null =>
    parseProbe(debian.replace(/@section upgrades[\s\S]*?(?=@section end)/, `@section upgrades ${header}\n${body}`))
      .pendingUpgrades;

  it("reads apt-check's count, and nothing when a tool failed or is unknown", () => {
    expect(upgrades('apt-check 0', '12;3\n')).toBe(12);
    expect(upgrades('apt-check 1', '12;3\n')).toBeNull();
    expect(upgrades('apt 100', 'Listing...\n')).toBeNull();
    expect(upgrades('dnf 0', '')).toBe(0);
    expect(upgrades('yum 1', 'Error: Cache-only enabled but no cache for base\n')).toBeNull();
    expect(upgrades('pacman 0', '')).toBeNull();
    expect(upgrades('unavailable', '')).toBeNull();
  });
});

describe('parseProbe on broken output', () => {
  it.each([
    ['empty', ''],
    ['an error message', 'sh: 1: Syntax error: end of file unexpected\n'],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1')],
  ])('refuses %s as garbage', (_, stdout) => {
    expect(failure(stdout)).toMatchObject({ code: 'probe_garbage', details: { section: 'header' } });
  });

  it.each([
    ['stat', 'cpu'],
    ['meminfo', 'memory'],
    ['uptime', 'uptime'],
  ])('names the required section that is missing (%s)', (missing, section) => {
    expect(failure(without(debian, missing))).toMatchObject({ code: 'probe_garbage', details: { section } });
  });

  it.each([
    ['cpu  1284512 3121 402877 98231554 51233 0 18844 9410 0 0', 'cpu  12 abc 3 4', 'cpu'],
    ['cpu  1284512 3121 402877 98231554 51233 0 18844 9410 0 0', 'cpu  12 3', 'cpu'],
    ['MemTotal:        4010164 kB', 'MemTotal:        -1 kB', 'memory'],
    ['1034567.89 1987654.32', 'NaN 1987654.32', 'uptime'],
    ['1034567.89 1987654.32', '1e308 1', 'uptime'],
  ])('names the required section that is malformed: %s → %s', (line, broken, section) => {
    expect(failure(debian.replace(line, broken))).toMatchObject({ code: 'probe_garbage', details: { section } });
  });

  it('turns missing or unreadable optional sections into nulls', () => {
    let stdout = debian;
    for (const section of ['loadavg', 'mounts', 'netdev', 'diskstats', 'failed-units', 'reboot-required', 'upgrades']) {
      stdout = without(stdout, section);
    }
    const sample = parseProbe(stdout.replace('0.42 0.35 0.31', 'x y z').replace('cpus 2\n', ''));
    expect(sample).toMatchObject({
      cpuCount: null,
      load: null, filesystems: null, net: null, disks: null, failedUnits: null, rebootRequired: null, pendingUpgrades: null,
    });
    expect(sample.cpu.user).toBe(1284512);
  });

  it('skips what a login script printed before the probe, and reads CRLF line ends', () => {
    const sample = parseProbe(`Welcome to the garage server!\r\n${debian.replaceAll('\n', '\r\n')}`);
    expect(sample.uptimeSeconds).toBe(1034567.89);
    expect(sample.filesystems?.map((fs) => fs.mount)).toContain('/srv/archives 2024');
  });

  it('reports a server that is not Linux', () => {
    expect(failure('@pelote-probe 1\n@section unsupported FreeBSD\n')).toMatchObject({
      code: 'probe_unsupported',
      details: { system: 'FreeBSD' },
    });
  });

  it('never reads a number cut short by a truncated stream', () => {
    const cut = debian.indexOf('1034567.89') + 4; // "1034" of the uptime
    expect(failure(debian.slice(0, cut))).toMatchObject({ details: { section: 'uptime' } });
    const inMemory = debian.indexOf('4010164') + 3;
    expect(failure(debian.slice(0, inMemory))).toMatchObject({ details: { section: 'memory' } });
  });

  it('at every truncation point: garbage, or a partial sample without NaN that says it is incomplete', () => {
    for (let end = 0; end < debian.length; end++) {
      const stdout = debian.slice(0, end);
      const error = failure(stdout);
      if (error !== undefined) {
        expect(error.code).toBe('probe_garbage');
        continue;
      }
      const sample = parseProbe(stdout);
      expectSane(sample);
      expect(sample.complete).toBe(false);
    }
  });

  it('never returns NaN, negative or infinite numbers for any mangled line', () => {
    const lines = debian.split('\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: lines.length - 1 }), fc.string({ unit: 'binary' })), { maxLength: 8 }),
        (edits) => {
          const mangled = [...lines];
          for (const [index, text] of edits) mangled[index] = text;
          const stdout = mangled.join('\n');
          const error = failure(stdout);
          if (error === undefined) expectSane(parseProbe(stdout));
          else expect(['probe_garbage', 'probe_unsupported']).toContain(error.code);
        },
      ),
      { numRuns: 500 },
    );
  });
});
