// `restic dump` of one snapshot's file streamed into a command on the target (tar -x, a database client, cat).
import { createHash } from 'node:crypto';
import { CoreError } from '../errors';
import { settled } from './as-error';
import type { RemoteCommand, RemoteExit, RemoteProcess, SshPool, SshTarget } from '../ssh';
import { cancelled, lastLine, throwIfCancelled } from './remote-snapshot';
import { resticError, spawnRestic, type ResticExit, type ResticRepo } from './restic';
import { tee } from './stream-tee';
import type { TarSink } from './tar-manifest';

const STDERR_KEEP = 8 * 1024;

export interface RemoteRestoreInput {
  pool: SshPool;
  target: SshTarget;
  cmd: RemoteCommand;
  /** What the command is, in errors. */
  what: string;
  repo: ResticRepo;
  snapshotId: string;
  /** The file inside the snapshot, e.g. `/<job id>/files.tar`. */
  path: string;
  signal: AbortSignal;
  /** Also fed the stream (counting what was handed to the target). */
  parser?: TarSink;
  onBytes: (bytes: number) => void;
}

export async function restoreRemoteInput(input: RemoteRestoreInput): Promise<{ bytes: number; sha256: string }> {
  const { repo, signal } = input;
  throwIfCancelled(signal);
  const remote: RemoteProcess = await input.pool.stream(input.target, input.cmd);
  const dump = spawnRestic(repo, ['dump', '--', input.snapshotId, input.path]);
  dump.child.stdin.end();
  let remoteDone = false;
  let dumpFailed = null as ResticExit | null;
  void dump.exit.then((exit) => {
    if (exit.code !== 0 && !remoteDone) {
      dumpFailed = exit;
      remote.cancel();
    }
  });
  let stderr = '';
  remote.stderr.setEncoding('utf8');
  remote.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
  remote.stdout.resume();
  const hash = createHash('sha256');
  let bytes = 0;
  const detach = tee(dump.child.stdout, [remote.stdin, ...(input.parser === undefined ? [] : [input.parser])], (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    input.onBytes(chunk.length);
  });
  const onAbort = () => {
    detach();
    dump.child.kill('SIGINT');
    remote.cancel();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  // The whole file was read: the target sees its end.
  dump.child.stdout.once('end', () => {
    void dump.exit.then((exit) => {
      if (exit.code === 0) remote.stdin.end();
    });
  });

  const { exit, error: remoteError } = await settled(remote.exit);
  remoteDone = true;
  signal.removeEventListener('abort', onAbort);
  // restic's exit is only seen once its stdout is read to the end.
  detach();
  if (dump.child.exitCode === null) dump.child.kill('SIGINT');
  const dumpExit = await dump.exit;
  await input.parser?.end().catch(() => undefined);

  if (dumpFailed !== null) throw resticError(repo, dumpFailed);
  if (signal.aborted) throw cancelled();
  if (remoteError !== null) throw remoteError;
  if (exit?.code !== 0) throw remoteFailure(input.what, exit, stderr);
  if (dumpExit.code !== 0) throw resticError(repo, dumpExit);
  return { bytes, sha256: hash.digest('hex') };
}

function remoteFailure(what: string, exit: RemoteExit | null, stderr: string): CoreError {
  const details = { command: what, exitCode: exit?.code ?? null, stderr: stderr.slice(-2000) };
  if (/permission denied|read-only file system/i.test(stderr)) {
    return new CoreError('restore_target_not_writable', `The target is not writable: ${lastLine(stderr)}`, details);
  }
  if (/no space left on device/i.test(stderr)) {
    return new CoreError('restore_target_full', `The target's disk is full: ${lastLine(stderr)}`, details);
  }
  return new CoreError('restore_remote_failed', `${what} failed on the target (${exit?.signal ?? `exit ${String(exit?.code ?? null)}`}): ${lastLine(stderr)}`, details);
}
