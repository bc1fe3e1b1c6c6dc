// One remote command on one channel: its outputs, its exit, and how it is stopped (timeout, cancel, size cap).
import type { Readable, Writable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { CoreError } from '../errors';
import type { SshConnection } from './connection';
import type { RemoteCommand } from './shell-quote';
import { sshError } from './ssh-errors';
import type { ServerRef } from './target';

/** When a killed command's channel has not closed by itself yet, the kill is repeated and the channel closed. */
const KILL_AGAIN_MS = 100;
/** How long a stopped channel may take to confirm its close before its connection counts as wedged. */
const CLOSE_GRACE_MS = 1_000;

export interface RemoteExit {
  /** The exit status, or null when the command died of a signal. */
  code: number | null;
  /** e.g. 'SIGKILL' */
  signal: string | null;
}

export interface RemoteProcess {
  /** The command's stdout. Read (or resume()) both outputs: the exit only arrives once they are consumed. */
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** End it once written (at once if the command reads nothing from it): the command then sees end of file. */
  readonly stdin: Writable;
  /** Resolves when the channel closes; rejects with a CoreError on timeout, cancel() or a lost connection. */
  readonly exit: Promise<RemoteExit>;
  /** Kills the remote command and closes the channel; `exit` rejects with 'ssh_cancelled'. */
  cancel(): void;
}

export class RemoteRun implements RemoteProcess {
  readonly exit: Promise<RemoteExit>;
  /** Settles once the channel is really gone (closed by the server, or its connection dropped). */
  readonly finished: Promise<void>;
  private settled = false;
  private resolveExit!: (exit: RemoteExit) => void;
  private rejectExit!: (error: CoreError) => void;

  constructor(
    private readonly channel: ClientChannel,
    private readonly connection: SshConnection,
  ) {
    this.exit = new Promise<RemoteExit>((resolve, reject) => {
      this.resolveExit = resolve;
      this.rejectExit = reject;
    });
    // Marked handled: a caller that only cancels need not await it; awaiting it still sees the rejection.
    this.exit.catch(() => undefined);
    channel.on('error', () => this.abort(sshError('ssh_channel_failed', connection.server, 'the channel failed')));
    this.finished = new Promise((resolve) => {
      // Lost first: ssh2 reports the connection's end before closing its channels.
      const unsubscribe = connection.onLost((reason) => {
        this.settle(() => this.rejectExit(reason));
        resolve();
      });
      // The exit status comes with 'close' rather than from 'exit', which may fire before this object exists (when
      // the command's whole life arrives in one read with the channel's opening).
      channel.once('close', (code?: number | null, signal?: string) => {
        unsubscribe();
        this.settle(() => this.resolveExit({ code: code ?? null, signal: signal ?? null }));
        resolve();
      });
    });
  }

  get server(): ServerRef {
    return this.connection.server;
  }

  get stdout(): Readable {
    return this.channel;
  }

  get stderr(): Readable {
    return this.channel.stderr;
  }

  get stdin(): Writable {
    return this.channel;
  }

  cancel(): void {
    this.abort(sshError('ssh_cancelled', this.connection.server, 'the command was cancelled'));
  }

  /** Rejects `exit` with `reason` now, kills the command, and drops the connection if the server does not answer. */
  abort(reason: CoreError): void {
    if (this.settled) return;
    this.settle(() => this.rejectExit(reason));
    // Nobody reads any more, and the channel only closes once its outputs are consumed.
    this.channel.resume();
    this.channel.stderr.resume();
    this.kill();
    // sshd signals the command's process group, which the command only creates a moment after it starts: a signal
    // sent in between is lost, hence a second one before closing the channel.
    const again = setTimeout(() => {
      this.kill();
      ignoreDisconnected(() => this.channel.close());
    }, KILL_AGAIN_MS);
    const wedged = setTimeout(() => {
      const reason = sshError('ssh_connection_lost', this.connection.server, 'the server stopped answering');
      this.connection.destroy(reason);
    }, CLOSE_GRACE_MS);
    void this.finished.then(() => {
      clearTimeout(again);
      clearTimeout(wedged);
    });
  }

  private kill(): void {
    ignoreDisconnected(() => killRemote(this.channel));
  }

  private settle(action: () => void): void {
    if (this.settled) return;
    this.settled = true;
    action();
  }
}

/** Runs `cmd` on a new channel. `timeoutMs` covers opening the channel and the whole run. */
export async function startRemote(
  connection: SshConnection,
  cmd: RemoteCommand,
  timeoutMs?: number,
): Promise<RemoteRun> {
  const deadline = new AbortController();
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          const message = `the command did not finish within ${timeoutMs} ms`;
          deadline.abort(sshError('ssh_exec_timeout', connection.server, message, { timeoutMs }));
        }, timeoutMs);
  let channel: ClientChannel;
  try {
    channel = await connection.exec(cmd, deadline.signal);
  } catch (err) {
    clearTimeout(timer);
    throw err;
  }
  const run = new RemoteRun(channel, connection);
  deadline.signal.addEventListener('abort', () => run.abort(deadline.signal.reason as CoreError), { once: true });
  void run.finished.then(() => clearTimeout(timer));
  return run;
}

export interface CollectedOutput extends RemoteExit {
  stdout: string;
  stderr: string;
}

/** Feeds `stdin`, gathers both outputs up to `maxBytes` together, and waits for the exit. */
export async function collect(
  run: RemoteRun,
  stdin: string | Buffer | undefined,
  maxBytes: number,
): Promise<CollectedOutput> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  const keep = (chunks: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
    else run.abort(sshError('ssh_output_too_large', run.server, `more than ${maxBytes} bytes of output`, { maxBytes }));
  };
  run.stdout.on('data', keep(stdout));
  run.stderr.on('data', keep(stderr));
  run.stdin.end(stdin);
  const exit = await run.exit;
  // Decoded once complete: a chunk boundary may split a UTF-8 character.
  return { ...exit, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

/**
 * Sends SIGKILL to the command's process group (sshd killpg()s it). ssh2's `signal()` silently sends nothing once
 * stdin is ended, which `exec()` always does, so the request goes through its protocol object, valid until the
 * channel closes (RFC 4254 6.9).
 */
function killRemote(channel: ClientChannel): void {
  const internals = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
  };
  const { id, state } = internals.outgoing ?? {};
  const protocol = internals._client?._protocol;
  if (id === undefined || protocol?.signal === undefined) return channel.signal('KILL'); // internals changed
  if (state === 'open' || state === 'eof') protocol.signal(id, 'KILL');
}

/** Runs a request on a channel whose connection may already be gone, in which case there is nothing left to stop. */
function ignoreDisconnected(request: () => void): void {
  try {
    request();
  } catch {
    // ssh2 throws once the connection is torn down
  }
}
