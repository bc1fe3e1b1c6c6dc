// restic as a child process: the password only through its environment (never argv, never a log), JSON output, and
// every failure as a CoreError with a stable code. restic 0.14 has no distinct exit codes for a wrong password or a
// lock (0.17+), so those are recognised from its stderr.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CoreError } from '../errors';
import { lockFromMessage } from './restic-locks';

export interface ResticRepo {
  binary: string;
  path: string;
  /** A file restic reads, or the password itself (unsealed from the keychain for this call only). */
  password: { file: string } | { value: string };
  cacheDir: string;
}

export interface ResticExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of stderr, for error messages: restic never prints the password. */
  stderr: string;
}

export interface ResticProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Settles when the process exits, whatever its status. */
  readonly exit: Promise<ResticExit>;
}

const STDERR_KEEP = 16 * 1024;

/** The parent's environment without its own RESTIC_* settings, plus this repository's password and cache. */
function resticEnv(repo: ResticRepo): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('RESTIC_')) env[key] = value;
  env.RESTIC_CACHE_DIR = repo.cacheDir;
  if ('file' in repo.password) env.RESTIC_PASSWORD_FILE = repo.password.file;
  else env.RESTIC_PASSWORD = repo.password.value;
  return env;
}

/**
 * Starts `restic -r <repo> <args>`; `onJson` receives each JSON line of stdout (then stdout is consumed by it).
 * Callers put positional values (snapshot ids, paths read back from the repository) after `--`, so none can become
 * one of restic's options.
 */
export function spawnRestic(repo: ResticRepo, args: string[], onJson?: (message: Record<string, unknown>) => void): ResticProcess {
  const child = spawn(repo.binary, ['--repo', repo.path, ...args], { env: resticEnv(repo), stdio: 'pipe' });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
  // Writing after restic exits (a failed backup) raises EPIPE: the exit status tells what happened.
  child.stdin.on('error', () => undefined);
  if (onJson !== undefined) {
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseJsonLine(line);
        if (message !== null) onJson(message);
      }
    });
  }
  const exit = new Promise<ResticExit>((resolve) => {
    child.once('error', (err) => resolve({ code: null, signal: null, stderr: `${stderr}\n${err.message}` }));
    child.once('close', (code, signal) => resolve({ code, signal, stderr: cleanText(stderr) }));
  });
  return { child, exit };
}

/** Runs restic to completion and returns its stdout; a non-zero exit throws the mapped error. */
export async function runRestic(repo: ResticRepo, args: string[], input?: Buffer | string): Promise<string> {
  const run = spawnRestic(repo, args);
  const chunks: Buffer[] = [];
  run.child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  run.child.stdin.end(input);
  const exit = await run.exit;
  if (exit.code !== 0) throw resticError(repo, exit);
  return Buffer.concat(chunks).toString('utf8');
}

/** restic's JSON output (a document, or one object per line). */
export async function runResticJson<T>(repo: ResticRepo, args: string[]): Promise<T> {
  // A global flag, in front: after the command's `--` it would be one more positional value.
  const stdout = await runRestic(repo, ['--json', ...args]);
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new CoreError('restic_failed', 'restic printed something that is not JSON.', { args: args[0] ?? '' });
  }
}

/** What went wrong, from restic's exit status and stderr. */
export function resticError(repo: Pick<ResticRepo, 'path'>, exit: ResticExit): CoreError {
  const text = exit.stderr;
  const path = repo.path;
  if (/wrong password or no key found/i.test(text)) {
    return new CoreError('restic_wrong_password', `Wrong password for the repository ${path}.`, { path });
  }
  const lock = lockFromMessage(text);
  if (lock !== null) {
    return new CoreError('restic_locked', `The repository ${path} is locked by PID ${lock.pid} on ${lock.hostname}${lock.stale ? ' (stale lock)' : ''}.`, { path, ...lock });
  }
  if (/no space left on device/i.test(text)) {
    return new CoreError('restic_disk_full', `The disk holding the repository ${path} is full.`, { path });
  }
  if (/config file already exists/i.test(text)) {
    return new CoreError('restic_repository_exists', `There is already a repository at ${path}.`, { path });
  }
  if (/unable to open config file|Is there a repository at the following location/i.test(text)) {
    return new CoreError('restic_repository_missing', `No restic repository at ${path}.`, { path });
  }
  if (/permission denied/i.test(text)) {
    return new CoreError('restic_permission_denied', `restic may not write to ${path}.`, { path });
  }
  if (exit.code === 3) {
    return new CoreError('restic_incomplete', 'restic could not read all the data: the snapshot is incomplete.', { path });
  }
  const line = lastLine(text);
  return new CoreError('restic_failed', `restic failed (${exit.signal ?? `exit ${String(exit.code)}`}): ${line}`, { path, exitCode: exit.code, message: line });
}

function parseJsonLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Without terminal control sequences (restic clears lines with ESC[2K even when not on a terminal). */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping the escape character is the point
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return (lines.find((l) => l.startsWith('Fatal:')) ?? lines.at(-1) ?? '').slice(0, 500);
}
