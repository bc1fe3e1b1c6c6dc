import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../errors';
import { quote } from '../../ssh/shell-quote';
import { freeLoopbackPort, sshConnectConfig, startSshd, type SshdFixture } from '../../../testing/sshd';
import { parseProbe, type ProbeSample } from './parse-probe';
import { probeScript, type ProbeService } from './probe-script';

const execFileAsync = promisify(execFile);
const BUSYBOX = '/usr/bin/busybox';
/** The tools the script calls besides shell builtins. */
const TOOLS = ['sh', 'cat', 'awk', 'grep', 'df', 'uname'];
const PSEUDO_TYPES = ['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts'];

let dir: string;
let shortName: string;
let longName: string;
const sleepers: ChildProcess[] = [];
let server: net.Server;
let openPort: number;
let closedPort: number;
let services: ProbeService[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pelote-probe-'));
  // Processes with names of our own: nothing else on the machine is called that.
  shortName = `plt-${randomBytes(4).toString('hex')}`;
  longName = `pelote-probe-long-${randomBytes(3).toString('hex')}`; // longer than the kernel's 15-character comm
  for (const name of [shortName, longName]) {
    await copyFile('/bin/sleep', path.join(dir, name));
    sleepers.push(spawn(path.join(dir, name), ['300'], { stdio: 'ignore' }));
  }
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  openPort = (server.address() as net.AddressInfo).port;
  closedPort = await freeLoopbackPort();
  services = [
    { id: 'running', unit: null, process: shortName, port: openPort },
    { id: 'long-name', unit: null, process: longName, port: null },
    { id: 'stopped', unit: null, process: `plt-${randomBytes(4).toString('hex')}`, port: closedPort },
  ];
});

afterAll(async () => {
  for (const child of sleepers) child.kill();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function run(shell: string, script: string): Promise<string> {
  return (await execFileAsync(shell, ['-c', script])).stdout;
}

/**
 * Runs the script in a private mount namespace with an empty /run (so neither this machine's systemd state nor its
 * reboot flag leaks in), with only `bin` on the PATH.
 */
async function runIsolated(
  shell: string,
  script: string,
  bin: string,
  run: { systemd?: boolean; rebootRequired?: boolean; env?: Record<string, string> } = {},
): Promise<string> {
  const setup = [
    '/bin/mount -t tmpfs tmpfs /run',
    run.systemd === true ? '/bin/mkdir -p /run/systemd/system' : ':',
    run.rebootRequired === true ? '/bin/touch /run/reboot-required' : ':', // /var/run is /run
    'exec "$0" -c "$1"',
  ].join(' && ');
  const { stdout } = await execFileAsync('/usr/bin/unshare', ['-r', '-m', '/bin/sh', '-c', setup, shell, script], {
    env: { ...run.env, PATH: bin },
  });
  return stdout;
}

/** A directory of tools: symlinks to `target` (or to the system's own), plus fake programs. */
async function binDir(name: string, target: string | null, fakes: Record<string, string> = {}): Promise<string> {
  const bin = path.join(dir, name);
  await mkdir(bin);
  for (const tool of TOOLS) {
    const real = target ?? (await execFileAsync('/bin/sh', ['-c', `command -v ${tool}`])).stdout.trim();
    await symlink(real, path.join(bin, tool));
  }
  for (const [fake, body] of Object.entries(fakes)) {
    await writeFile(path.join(bin, fake), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return bin;
}

function byId(sample: ProbeSample, id: string) {
  return sample.services.find((s) => s.id === id);
}

function expectServicesSeen(sample: ProbeSample): void {
  expect(byId(sample, 'running')).toMatchObject({ processPresent: true, portListening: true, unitActive: null });
  expect(byId(sample, 'long-name')).toMatchObject({ processPresent: true, portListening: null });
  expect(byId(sample, 'stopped')).toMatchObject({ processPresent: false, portListening: false });
}

describe('probeScript validation', () => {
  const base: ProbeService = { id: 'svc', unit: null, process: null, port: null };
  it.each([
    ['id', { id: 'two words' }],
    ['id', { id: '' }],
    ['unit', { unit: 'nginx; rm -rf /' }],
    ['unit', { unit: '$(reboot)' }],
    ['unit', { unit: 'nginx service' }],
    ['unit', { unit: 'u'.repeat(257) }],
    ['unit', { unit: "it's" }],
    ['process', { process: '/usr/bin/node' }],
    ['process', { process: 'a'.repeat(65) }],
    ['process', { process: 'x`id`' }],
    ['port', { port: 0 }],
    ['port', { port: 65536 }],
    ['port', { port: 80.5 }],
  ] as const)('refuses an unsafe %s: %j', (field, change) => {
    let error: unknown;
    try {
      probeScript([{ ...base, ...change }]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({ code: 'probe_service_invalid', details: { field } });
  });

  it('accepts template units, dotted processes and the port range ends', () => {
    const script = probeScript([
      { id: 'a', unit: 'backup@daily.service', process: 'php-fpm8.2', port: 1 },
      { id: 'b', unit: 'systemd-journald', process: 'c++', port: 65535 },
    ]);
    expect(script).toContain('backup@daily.service');
    expect(script).toContain('service_port a 0001');
    expect(script).toContain('service_port b FFFF');
  });

  it('leaves the package manager out when asked to', () => {
    expect(probeScript([], { upgrades: false })).not.toContain('check-update');
    expect(probeScript([])).toContain('check-update');
  });
});

describe('the probe on this machine', () => {
  it('runs under dash, reads the real system and is fast', async () => {
    const script = probeScript(services, { upgrades: false });
    const started = performance.now();
    const { stdout, stderr: cpuTimes } = await execFileAsync('/bin/sh', ['-c', `${script}\ntimes >&2`]);
    const wallMs = performance.now() - started;
    console.log(`probe without upgrades: ${wallMs.toFixed(1)} ms wall; times (shell, then children):\n${cpuTimes}`);

    const sample = parseProbe(stdout);
    expect(sample.complete).toBe(true);
    expect(sample.memory.totalBytes).toBe(os.totalmem());
    expect(sample.memory.usedBytes).toBe(sample.memory.totalBytes - sample.memory.availableBytes);
    expect(Math.abs(sample.uptimeSeconds - os.uptime())).toBeLessThan(2);
    expect(sample.bootTime).not.toBeNull();
    expect(Math.abs(Date.now() / 1000 - sample.uptimeSeconds - (sample.bootTime ?? 0))).toBeLessThan(5);
    const cpu = sample.cpu;
    expect(cpu.user + cpu.system + cpu.idle).toBeGreaterThan(0);
    expect(sample.cpuCount).toBe(os.cpus().length);
    expect(sample.load).not.toBeNull();

    const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((line) => line.split(' '));
    expect(sample.filesystems).not.toBeNull();
    for (const fs of sample.filesystems ?? []) {
      expect(PSEUDO_TYPES).not.toContain(fs.type);
      expect(mounts.some(([, mount, type]) => mount === fs.mount && type === fs.type)).toBe(true);
      expect(fs.usedBytes).toBeLessThanOrEqual(fs.sizeBytes);
    }
    const interfaces = readdirSync('/sys/class/net');
    expect(sample.net?.map((n) => n.iface).every((iface) => interfaces.includes(iface) && iface !== 'lo')).toBe(true);
    for (const disk of sample.disks ?? []) {
      expect(existsSync(`/sys/block/${disk.device}/device`)).toBe(true);
      expect(disk.device).not.toMatch(/^(loop|ram|zram|dm-|md)/);
    }
    if (existsSync('/run/systemd/system')) expect(sample.failedUnits).toBeInstanceOf(Array);
    else expect(sample.failedUnits).toBeNull();
    expect(sample.pendingUpgrades).toBeNull();
    expectServicesSeen(sample);
  });

  it("counts pending upgrades from apt's cache, as apt itself does", async () => {
    const sample = parseProbe(await run('/bin/sh', probeScript([])));
    const listed = await execFileAsync('apt', ['list', '--upgradable'], { env: { ...process.env, LC_ALL: 'C' } });
    expect(sample.pendingUpgrades).toBe(listed.stdout.split('\n').filter((l) => l.includes('[upgradable from:')).length);
  });

  it('runs under busybox sh with only busybox tools, as on Alpine', async () => {
    const bin = await binDir('alpine-bin', BUSYBOX, {
      apk: [
        `[ "$*" = "version -l <" ] || exit 2`,
        `printf 'Installed:                                Available:\\n'`,
        `printf 'busybox-1.36.1-r15                      < 1.36.1-r20\\nmusl-1.2.5-r0                           < 1.2.5-r1\\n'`,
      ].join('\n'),
    });
    // Through the `sh` link: busybox picks the applet from the name it was called by.
    const sample = parseProbe(await runIsolated(path.join(bin, 'sh'), probeScript(services), bin));
    const dash = parseProbe(await run('/bin/sh', probeScript([], { upgrades: false })));
    expect(sample.complete).toBe(true);
    expect(sample.memory.totalBytes).toBe(os.totalmem());
    expect(sample.cpuCount).toBe(os.cpus().length);
    expect(sample.filesystems?.map((fs) => [fs.mount, fs.device, fs.type, fs.sizeBytes, fs.inodes])).toEqual(
      dash.filesystems?.map((fs) => [fs.mount, fs.device, fs.type, fs.sizeBytes, fs.inodes]),
    );
    expect(sample.net?.map((n) => n.iface)).toEqual(dash.net?.map((n) => n.iface));
    expect(sample.disks?.map((d) => d.device)).toEqual(dash.disks?.map((d) => d.device));
    expect(sample.failedUnits).toBeNull();
    expect(sample.pendingUpgrades).toBe(2);
    expectServicesSeen(sample);
  });

  describe('with systemd and a RHEL-like package manager (faked in a private namespace)', () => {
    let bin: string;
    const argsLog = (): string => path.join(dir, 'systemctl-args');
    const rhelServices: ProbeService[] = [
      { id: 'backup', unit: 'backup@daily.service', process: null, port: null },
      { id: 'php', unit: 'php-fpm', process: null, port: null },
      { id: 'web', unit: 'nginx.service', process: null, port: null },
      { id: 'root', unit: '-.mount', process: null, port: null }, // systemd's name for /, not an option
    ];

    beforeAll(async () => {
      bin = await binDir('rhel-bin', null, {
        systemctl: [
          `printf '%s\\n' "$@" >> ${quote(argsLog())}`,
          'case "$1" in',
          `--failed) printf 'backup@daily.service loaded failed failed Daily backup\\nsmartd.service loaded failed failed Self Monitoring\\n' ;;`,
          'is-active) shift 2; for unit in "$@"; do case $unit in',
          '  php-fpm|-.mount) echo active ;; nginx.service) echo reloading ;; *) echo failed ;; esac; done; exit 3 ;;',
          'esac',
        ].join('\n'),
        dnf: [
          `[ "$*" = "-C -q check-update" ] || exit 2`,
          `printf '\\nkernel.x86_64   5.14.0-427.22.1.el9_4   baseos\\nopenssl.x86_64   1:3.0.7-27.el9_4   baseos\\n'`,
          `printf 'Obsoleting Packages\\ngrub2-tools.x86_64   1:2.06-80.el9_4   baseos\\n'`,
          'exit 100',
        ].join('\n'),
        'needs-restarting': '[ "$*" = "-r" ] || exit 2\nexit "$FAKE_REBOOT_STATUS"',
      });
    });

    it('reads failed units, unit states in order, the reboot flag and dnf', async () => {
      const sample = parseProbe(await runIsolated('/bin/sh', probeScript(rhelServices), bin, { systemd: true, rebootRequired: true }));
      expect(sample.failedUnits).toEqual(['backup@daily.service', 'smartd.service']);
      expect(sample.services).toEqual([
        { id: 'backup', unitActive: false, unitState: 'failed', processPresent: null, portListening: null },
        { id: 'php', unitActive: true, unitState: 'active', processPresent: null, portListening: null },
        { id: 'web', unitActive: true, unitState: 'reloading', processPresent: null, portListening: null },
        { id: 'root', unitActive: true, unitState: 'active', processPresent: null, portListening: null },
      ]);
      expect(sample.rebootRequired).toBe(true);
      expect(sample.pendingUpgrades).toBe(2);
      const args = (await readFile(argsLog(), 'utf8')).split('\n');
      expect(args).toEqual(expect.arrayContaining(['--failed', '--plain']));
      expect(args.join(' ')).toContain('is-active -- backup@daily.service php-fpm nginx.service -.mount');
    });

    it("asks needs-restarting when there is no reboot flag, and trusts its exit status", async () => {
      const script = probeScript([], { upgrades: false });
      const reboot = async (status: string) =>
        parseProbe(await runIsolated('/bin/sh', script, bin, { env: { FAKE_REBOOT_STATUS: status } })).rebootRequired;
      expect(await reboot('1')).toBe(true);
      expect(await reboot('0')).toBe(false);
      expect(await reboot('2')).toBeNull();
    });

    it('reports no unit states without systemd running, even where systemctl exists', async () => {
      const sample = parseProbe(await runIsolated('/bin/sh', probeScript(rhelServices, { upgrades: false }), bin));
      expect(sample.failedUnits).toBeNull();
      expect(sample.services.map((s) => s.unitActive)).toEqual([null, null, null, null]);
    });
  });
});

describe('the probe through sshd, as a non-root user', () => {
  let sshd: SshdFixture;
  let client: Client;

  beforeAll(async () => {
    sshd = await startSshd();
    client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve).once('error', reject);
      client.connect({
        ...sshConnectConfig(sshd),
        sock: net.connect({ host: sshd.host, port: sshd.port, noDelay: true }),
        readyTimeout: 5_000,
      });
    });
  });

  afterAll(async () => {
    client.end();
    await sshd.stop();
  });

  function exec(commandLine: string): Promise<string> {
    return new Promise((resolve, reject) => {
      client.exec(commandLine, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        stream.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        stream.stderr.resume();
        stream.once('close', () => resolve(stdout));
      });
    });
  }

  it('parses, sees the services, and takes well under a second', async () => {
    expect(await exec('id -u')).not.toBe('0\n');
    const commandLine = `/bin/sh -c ${quote(probeScript(services, { upgrades: false }))}`;
    const started = performance.now();
    const stdout = await exec(commandLine);
    const wallMs = performance.now() - started;
    console.log(`probe over ssh (exec round trip included): ${wallMs.toFixed(1)} ms`);
    const sample = parseProbe(stdout);
    expect(sample.complete).toBe(true);
    expect(sample.memory.totalBytes).toBe(os.totalmem());
    expectServicesSeen(sample);
    expect(wallMs).toBeLessThan(1000);
  });
});
