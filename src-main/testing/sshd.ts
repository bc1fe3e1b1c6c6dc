// Test fixture: the system's OpenSSH sshd on 127.0.0.1 with throwaway keys, for integration tests, e2e specs and
// benchmarks. Plain Node on purpose (no test-runner imports). Linux only: it walks /proc and needs /run/sshd.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConnectConfig } from 'ssh2';

const execFileAsync = promisify(execFile);

const HOST = '127.0.0.1';
const SSHD = '/usr/sbin/sshd';
const SETPRIV = '/usr/bin/setpriv';
const DEFAULT_ROOT_LOGIN = 'pelote-ssh';
const READY_TIMEOUT_MS = 5_000;
const STOP_GRACE_MS = 1_000;
const POLL_MS = 5;
const LOG_LIMIT = 64 * 1024;

export interface SshdOptions {
  /** Login user when running as root (default `pelote-ssh`, created if missing). Ignored otherwise. */
  username?: string;
  /** Environment of every session (sshd's SetEnv), e.g. where a database client finds its server. */
  env?: Record<string, string>;
}

export interface SshdFixture {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Client private key, OpenSSH format, authorised for `username`. */
  readonly privateKey: string;
  readonly privateKeyPath: string;
  readonly publicKey: string;
  /** As OpenSSH prints it: `SHA256:` + unpadded base64. */
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
  /** PID of the listening sshd. */
  readonly pid: number;
  /** Temp dir holding keys and config; removed by `stop()`. */
  readonly dir: string;
  /** Writable directory owned by the login user, for files on the "server". */
  readonly homeDir: string;
  /** sshd's recent log (stderr), for diagnosing failures. */
  log(): string;
  /** Terminates sshd and its sessions, then removes `dir`. Idempotent. */
  stop(): Promise<void>;
  /** SIGSTOP sshd and its sessions: a frozen server (TCP still connects, SSH never answers). */
  pause(): void;
  resume(): void;
  /** SIGKILL sshd and its sessions: a dead server (open connections drop, the port refuses). */
  kill(): Promise<void>;
}

interface LoginUser {
  name: string;
  uid: number;
  gid: number;
}

interface Files {
  dir: string;
  config: string;
  hostKey: string;
  clientKey: string;
  authorizedKeys: string;
  homeDir: string;
}

interface Keys {
  privateKey: string;
  publicKey: string;
  hostPublicKey: string;
}

const live = new Set<RunningSshd>();
process.on('exit', () => {
  for (const fixture of live) {
    fixture.killNow();
    rmSync(fixture.dir, { recursive: true, force: true });
  }
});

export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
  const user = await loginUser(options.username);
  if (isRoot()) await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privsep chroot, normally systemd's
  // The free port may be taken again before sshd binds it: then start over on another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(user, await freeLoopbackPort(), options.env ?? {});
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTakenError)) throw err;
    }
  }
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`unexpected server address ${String(address)}`));
      });
    });
  });
}

/** ssh2 connect options; also pass `sock: net.connect({ host, port, noDelay: true })`, as ssh2 leaves Nagle on. */
export function sshConnectConfig(fixture: SshdFixture): {
  host: string;
  port: number;
  username: string;
  privateKey: string;
} {
  const { host, port, username, privateKey } = fixture;
  return { host, port, username, privateKey } satisfies ConnectConfig;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function loginUser(requested: string | undefined): Promise<LoginUser> {
  // Root's shell start-up is slow here, so root logs in as a user whose shell is /bin/sh.
  if (isRoot()) return ensureUser(requested ?? DEFAULT_ROOT_LOGIN);
  // A non-root sshd can only authenticate the user it runs as.
  const self = os.userInfo();
  return { name: self.username, uid: self.uid, gid: self.gid };
}

const users = new Map<string, Promise<LoginUser>>();

/** One creation attempt per user per process, shared by fixtures starting in parallel. */
function ensureUser(name: string): Promise<LoginUser> {
  let user = users.get(name);
  if (user === undefined) {
    user = createUserIfMissing(name);
    users.set(name, user);
    user.catch(() => users.delete(name));
  }
  return user;
}

async function createUserIfMissing(name: string): Promise<LoginUser> {
  // Retried because another process may be creating the same user or holding the passwd lock.
  for (let attempt = 1; ; attempt++) {
    const user = await lookupUser(name);
    if (user !== undefined) {
      await assertNotLocked(name);
      return user;
    }
    try {
      // '*' instead of useradd's default '!': without PAM, sshd refuses accounts whose password starts with '!'.
      await execFileAsync('useradd', ['--create-home', '--shell', '/bin/sh', '--password', '*', name]);
    } catch (err) {
      if (attempt >= 20) throw err;
      await sleep(50);
    }
  }
}

async function lookupUser(name: string): Promise<LoginUser | undefined> {
  const entry = await getent('passwd', name);
  if (entry === undefined) return undefined;
  const [, , uid, gid] = entry.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

async function assertNotLocked(name: string): Promise<void> {
  const password = (await getent('shadow', name))?.split(':')[1] ?? '';
  if (password.startsWith('!')) {
    throw new Error(`account ${name} is locked, so sshd (without PAM) refuses it; run: usermod --password '*' ${name}`);
  }
}

async function getent(database: string, key: string): Promise<string | undefined> {
  try {
    return (await execFileAsync('getent', [database, key])).stdout.trim();
  } catch (err) {
    if ((err as { code?: unknown }).code === 2) return undefined; // getent: key not found
    throw err;
  }
}

async function launch(user: LoginUser, port: number, env: Record<string, string>): Promise<RunningSshd> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pelote-sshd-'));
  let prepared: { files: Files; keys: Keys };
  try {
    prepared = await prepareFiles(dir, user, port, env);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const fixture = new RunningSshd(spawnSshd(prepared.files.config), prepared.files, prepared.keys, user, port);
  try {
    await fixture.waitUntilListening();
    return fixture;
  } catch (err) {
    await fixture.stop();
    throw err;
  }
}

class PortTakenError extends Error {}

async function prepareFiles(dir: string, user: LoginUser, port: number, env: Record<string, string>): Promise<{ files: Files; keys: Keys }> {
  const files: Files = {
    dir,
    config: path.join(dir, 'sshd_config'),
    hostKey: path.join(dir, 'host_ed25519'),
    clientKey: path.join(dir, 'client_ed25519'),
    authorizedKeys: path.join(dir, 'authorized_keys'),
    homeDir: path.join(dir, 'home'),
  };
  // mkdtemp makes 0700; the login user must reach homeDir, and sshd reads authorized_keys as that user.
  await chmod(dir, 0o711);
  await Promise.all([keygen(files.hostKey), keygen(files.clientKey)]);
  await writeFile(files.authorizedKeys, await readFile(`${files.clientKey}.pub`), { mode: 0o644 });
  await mkdir(files.homeDir);
  await chown(files.homeDir, user.uid, user.gid);
  await writeFile(files.config, sshdConfig(files, port, env));
  const [privateKey, publicKey, hostPublicKey] = await Promise.all([
    readFile(files.clientKey, 'utf8'),
    readFile(`${files.clientKey}.pub`, 'utf8'),
    readFile(`${files.hostKey}.pub`, 'utf8'),
  ]);
  return { files, keys: { privateKey, publicKey: publicKey.trim(), hostPublicKey: hostPublicKey.trim() } };
}

function keygen(file: string): Promise<unknown> {
  return execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pelote-test', '-f', file]);
}

function sshdConfig(files: Files, port: number, env: Record<string, string>): string {
  const setEnv = Object.entries(env).map(([name, value]) => {
    // sshd_config words: no quoting needed for these, and anything else is refused rather than mangled.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !/^[^\s"'\\]*$/.test(value)) throw new Error(`unsupported SetEnv ${name}=${value}`);
    return `SetEnv ${name}=${value}`;
  });
  return [
    `ListenAddress ${HOST}:${port}`,
    `HostKey ${files.hostKey}`,
    `AuthorizedKeysFile ${files.authorizedKeys}`,
    'UsePAM no',
    'StrictModes no', // temp dirs live under world-writable /tmp
    'PidFile none',
    'Subsystem sftp internal-sftp',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'LogLevel VERBOSE', // logs why a key was refused
    ...setEnv,
    '',
  ].join('\n');
}

function spawnSshd(config: string): ChildProcess {
  const args = ['-D', '-e', '-f', config];
  const stdio: ['ignore', 'ignore', 'pipe'] = ['ignore', 'ignore', 'pipe'];
  // The parent-death signal also covers a test process that dies without 'exit' handlers (vitest SIGTERMs workers).
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', SSHD, ...args], { stdio })
    : spawn(SSHD, args, { stdio });
  // A forgotten fixture must not keep the process alive; the 'exit' handler then kills it.
  child.unref();
  if (child.stderr instanceof net.Socket) child.stderr.unref();
  return child;
}

class RunningSshd implements SshdFixture {
  readonly host = HOST;
  readonly username: string;
  readonly privateKey: string;
  readonly privateKeyPath: string;
  readonly publicKey: string;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
  readonly pid: number;
  readonly dir: string;
  readonly homeDir: string;
  private stderr = '';
  private spawnError: Error | undefined;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly child: ChildProcess,
    files: Files,
    keys: Keys,
    user: LoginUser,
    readonly port: number,
  ) {
    this.username = user.name;
    this.privateKey = keys.privateKey;
    this.privateKeyPath = files.clientKey;
    this.publicKey = keys.publicKey;
    this.hostPublicKey = keys.hostPublicKey;
    this.hostKeyFingerprint = fingerprint(keys.hostPublicKey);
    this.pid = child.pid ?? -1;
    this.dir = files.dir;
    this.homeDir = files.homeDir;
    // 'exit', not 'close': sessions inherit sshd's stderr and may hold it open. A failed spawn emits only 'error'.
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()).once('error', () => resolve()));
    child.once('error', (err) => (this.spawnError = err));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-LOG_LIMIT)));
    live.add(this);
  }

  log(): string {
    return this.stderr;
  }

  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  pause(): void {
    if (this.running) this.freeze();
  }

  resume(): void {
    if (this.running) signal(processTree(this.pid), 'SIGCONT');
  }

  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** Synchronous, for the process 'exit' handler. */
  killNow(): void {
    if (this.running) signal(this.freeze(), 'SIGKILL');
  }

  async waitUntilListening(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(this.port))) {
      if (this.spawnError !== undefined) throw new Error(`cannot start ${SSHD}: ${this.spawnError.message}`);
      if (!this.running) {
        await Promise.race([this.exited, sleep(200)]); // let the last of stderr arrive
        const error = this.stderr.includes('Address already in use') ? PortTakenError : Error;
        throw new error(`sshd exited (${this.exitStatus}) before listening on ${HOST}:${this.port}:\n${this.stderr}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`sshd not listening on ${HOST}:${this.port} after ${READY_TIMEOUT_MS} ms:\n${this.stderr}`);
      }
      await sleep(POLL_MS);
    }
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.pid > 0;
  }

  private get exitStatus(): string {
    return this.child.signalCode ?? `code ${String(this.child.exitCode)}`;
  }

  private async terminate(): Promise<void> {
    if (this.running) {
      const pids = this.freeze();
      signal(pids, 'SIGTERM');
      signal(pids, 'SIGCONT'); // a stopped process acts on SIGTERM only once continued
      if (!(await allGone(pids, STOP_GRACE_MS))) {
        signal(pids, 'SIGKILL');
        await allGone(pids, STOP_GRACE_MS);
      }
    }
    await rm(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  /**
   * SIGSTOPs the listener and its sessions until no new process appears, so that none forks or escapes while
   * being signalled, and returns them all.
   */
  private freeze(): number[] {
    const frozen = new Set<number>();
    for (;;) {
      const fresh = processTree(this.pid).filter((pid) => !frozen.has(pid));
      if (fresh.length === 0) return [...frozen];
      signal(fresh, 'SIGSTOP');
      for (const pid of fresh) frozen.add(pid);
    }
  }
}

function fingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.split(/\s+/)[1];
  if (blob === undefined) throw new Error(`not an OpenSSH public key: ${publicKeyLine}`);
  const hash = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${hash.replace(/=+$/, '')}`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * `rootPid` and its descendants, parents first. Walking /proc is needed because sshd setsid()s each connection's
 * process, so neither a process group nor the listener's death reaches the sessions.
 */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const ppid = /^\d+$/.test(entry) ? procStat(entry)?.ppid : undefined;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = isAlive(rootPid) ? [rootPid] : [];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function procStat(pid: string | number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields follow the command name, which may itself contain spaces and parentheses.
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined; // the process has just ended
  }
}

/** Zombies count as gone: they hold no sockets, and PID 1 in a container may never reap them. */
function isAlive(pid: number): boolean {
  const state = procStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

async function allGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    // 0 and -1 would signal our process group or every process; 1 is init.
    if (!(pid > 1)) throw new Error(`refusing to signal PID ${pid}`);
    try {
      process.kill(pid, name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
