// A remote command's output (tar, a database dump) streamed into `restic backup --stdin`. A command that fails must
// not become a snapshot: restic's stdin is only ended once the channel exits 0; otherwise restic gets SIGINT with its
// stdin still open, so it never sees an end of file and stores nothing (measured, ENVIRONMENT.md).
import { createHash } from 'node:crypto';
import { CoreError } from '../errors';
import { settled } from './as-error';
import type { RemoteCommand, RemoteExit, RemoteProcess, SshPool, SshTarget } from '../ssh';
import { resticError, spawnRestic, type ResticExit, type ResticProcess, type ResticRepo } from './restic';
import { tee } from './stream-tee';
import type { TarSink } from './tar-manifest';

/** How long restic may take to clean up after SIGINT before it is killed. */
const INTERRUPT_GRACE_MS = 5_000;
const STDERR_KEEP = 8 * 1024;

export interface RemoteSnapshotInput {
  pool: SshPool;
  target: SshTarget;
  cmd: RemoteCommand;
  /** What the command is, in errors: 'tar', or the dump's name. */
  what: string;
  repo: ResticRepo;
  /** The snapshot's single file, e.g. `<job id>/files.tar`. */
  filename: string;
  host: string;
  tags: string[];
  signal: AbortSignal;
  /** Also fed the stream (the tar manifest). */
  parser?: TarSink;
  onBytes: (bytes: number) => void;
  /** An exit status other than 0 that still means a complete output (tar's "file changed as we read it"). */
  acceptable?: (exit: RemoteExit, stderr: string) => boolean;
}

export interface RemoteSnapshot {
  shortId: string;
  dataAdded: number;
  bytes: number;
  sha256: string;
  /** The command's stderr when it exited with an accepted non-zero status. */
  warning: string | null;
}

export async function snapshotRemoteOutput(input: RemoteSnapshotInput): Promise<RemoteSnapshot> {
  const { repo, signal } = input;
  throwIfCancelled(signal);
  let summary: Record<string, unknown> | null = null;
  const restic = spawnRestic(
    repo,
    ['backup', '--stdin', '--stdin-filename', input.filename, '--host', input.host, ...input.tags.flatMap((t) => ['--tag', t]), '--json'],
    (message) => {
      if (message.message_type === 'summary') summary = message;
    },
  );
  let remote: RemoteProcess;
  try {
    remote = await input.pool.stream(input.target, input.cmd);
  } catch (error) {
    await interrupt(restic);
    throw error;
  }
  remote.stdin.end();
  let stderr = '';
  remote.stderr.setEncoding('utf8');
  remote.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
  const hash = createHash('sha256');
  let bytes = 0;
  const detach = tee(remote.stdout, [restic.child.stdin, ...(input.parser === undefined ? [] : [input.parser])], (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    input.onBytes(chunk.length);
  });
  const stopRemote = (): void => {
    detach();
    remote.cancel();
  };
  let remoteDone = false;
  let resticFirst = null as ResticExit | null;
  // restic failing on its own (disk full, lock, password) stops the command: nobody would read its output.
  void restic.exit.then((exit) => {
    if (!remoteDone) {
      resticFirst = exit;
      stopRemote();
    }
  });
  signal.addEventListener('abort', stopRemote, { once: true });

  const { exit, error: remoteError } = await settled(remote.exit);
  remoteDone = true;
  signal.removeEventListener('abort', stopRemote);
  const complete = exit !== null && resticFirst === null && !signal.aborted && (exit.code === 0 || input.acceptable?.(exit, stderr) === true);

  if (!complete) {
    input.parser?.destroy();
    const resticExit = await interrupt(restic);
    if (resticFirst !== null) throw resticError(repo, resticExit);
    if (signal.aborted) throw cancelled();
    if (remoteError !== null) throw remoteError;
    const code = exit?.code ?? null;
    throw new CoreError('backup_remote_failed', `${input.what} failed on the server (${exit?.signal ?? `exit ${String(code)}`}): ${lastLine(stderr)}`, {
      command: input.what,
      exitCode: code,
      signal: exit?.signal ?? null,
      stderr: stderr.slice(-2000),
    });
  }

  restic.child.stdin.end();
  const [resticExit] = await Promise.all([restic.exit, input.parser?.end()]);
  if (resticExit.code !== 0) throw resticError(repo, resticExit);
  const done = summary as Record<string, unknown> | null;
  if (done === null || typeof done.snapshot_id !== 'string') {
    throw new CoreError('restic_failed', 'restic finished without reporting a snapshot.', { path: repo.path });
  }
  return {
    shortId: done.snapshot_id,
    dataAdded: typeof done.data_added === 'number' ? done.data_added : 0,
    bytes,
    sha256: hash.digest('hex'),
    warning: exit.code === 0 ? null : stderr.trim().slice(-2000),
  };
}

/** SIGINT with stdin left open (no end of file, so no snapshot); SIGKILL if restic does not stop. */
async function interrupt(restic: ResticProcess): Promise<ResticExit> {
  if (restic.child.exitCode === null && restic.child.signalCode === null) restic.child.kill('SIGINT');
  const timer = setTimeout(() => restic.child.kill('SIGKILL'), INTERRUPT_GRACE_MS);
  const exit = await restic.exit;
  clearTimeout(timer);
  return exit;
}

export const cancelled = (): CoreError => new CoreError('backup_cancelled', 'The operation was cancelled.');

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelled();
}

/** The line of a command's stderr that says what went wrong (not tar's closing "Exiting with failure status"). */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/Exiting with failure status/.test(l));
  return (lines.at(-1) ?? '').slice(0, 500);
}
