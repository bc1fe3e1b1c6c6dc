// Test fixture: a throwaway MariaDB server (apt: mariadb-server-core, mariadb-client) on a Unix socket only, no TCP
// port at all. Clients find it through `MYSQL_HOME` (its `my.cnf` names the socket); `root` logs in without a
// password from any Unix user. Plain Node on purpose (no test-runner imports). Linux only.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const MARIADBD = '/usr/sbin/mariadbd';
const SETPRIV = '/usr/bin/setpriv';
const READY_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

export interface MariadbFixture {
  /** Environment for clients: `MYSQL_HOME`, whose my.cnf points them at this server's socket. */
  readonly env: { MYSQL_HOME: string };
  readonly socket: string;
  /** Stops the server and removes its files. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export async function startMariadb(): Promise<MariadbFixture> {
  if (!existsSync(MARIADBD)) throw new Error(`${MARIADBD} is missing: apt-get install mariadb-server-core mariadb-client`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pelote-mariadb-'));
  dirs.add(dir);
  // Other Unix users (the sshd fixture's login user) must reach the socket and read my.cnf, not list the directory.
  await chmod(dir, 0o711);
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const root = process.getuid?.() === 0 ? ['--user=root'] : [];
  await execFileAsync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, ...root, '--auth-root-authentication-method=normal', '--skip-test-db']);
  // A world-writable option file is ignored by the clients: 0644.
  await writeFile(path.join(dir, 'my.cnf'), `[client]\nsocket=${socket}\n`, { mode: 0o644 });
  const log = path.join(dir, 'error.log');
  const args = ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, '--skip-networking', `--pid-file=${path.join(dir, 'mysqld.pid')}`, `--log-error=${log}`, ...root];
  // The parent-death signal also covers a test process that dies without 'exit' handlers.
  const child = existsSync(SETPRIV) ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', MARIADBD, ...args], { stdio: 'ignore' }) : spawn(MARIADBD, args, { stdio: 'ignore' });
  child.unref();
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()).once('error', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    live.delete(child);
    await rm(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await isSocket(socket))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const reason = await readFile(log, 'utf8').catch(() => '(no log)');
      await stop();
      throw new Error(`${MARIADBD} did not start:\n${reason.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { env: { MYSQL_HOME: dir }, socket, stop };
}

async function isSocket(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isSocket();
  } catch {
    return false;
  }
}
