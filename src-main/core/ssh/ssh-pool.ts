// The one way the core talks to servers: one shared connection per server, commands and SFTP sessions multiplexed on
// it as channels within concurrency limits, reconnection with capped backoff, and every failure as a CoreError.
import type { SFTPWrapper } from 'ssh2';
import { DEFAULT_CONNECT_TIMEOUT_MS, SshConnection } from './connection';
import type { HostKeyPolicy } from './host-key';
import { Limiter } from './limiter';
import { collect, startRemote, type CollectedOutput, type RemoteProcess, type RemoteRun } from './remote-process';
import { isRemoteCommand, type RemoteCommand } from './shell-quote';
import { sshError } from './ssh-errors';
import { connectionKey, type SshTarget } from './target';

/** OpenSSH's default MaxSessions: channels beyond it on one connection are refused. */
const SSHD_MAX_SESSIONS = 10;
/** How long an ended SFTP session may take to close before its connection counts as wedged. */
const SFTP_CLOSE_GRACE_MS = 1_000;

export interface SshPoolOptions {
  hostKeys: HostKeyPolicy;
  /** Concurrent commands per server (at most sshd's default MaxSessions, 10). */
  maxPerServer?: number;
  /** Concurrent commands in all. */
  maxGlobal?: number;
  /** Deadline for TCP connect, SSH handshake and authentication together. */
  connectTimeoutMs?: number;
  /** Default deadline of `exec()`, from opening the channel to the exit. */
  execTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Delay before reconnecting after a failed attempt: doubles from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** What `exec()` may collect, stdout and stderr together; `stream()` has no cap. */
  maxOutputBytes?: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  stdin?: string | Buffer;
}

export interface ExecResult extends CollectedOutput {
  /** From the call to the exit, waiting for a slot or a connection included. */
  durationMs: number;
}

export interface StreamOptions {
  /** None by default: a backup may run for hours; keepalives still detect a dead server. */
  timeoutMs?: number;
}

export interface SshPoolStats {
  /** Connections whose socket is open, including ones being replaced. */
  openConnections: number;
  /** Commands running, per server id. */
  inFlight: Record<string, number>;
  /** Commands waiting for a free slot. */
  queued: number;
  /** Successful connections made so far, per server id. */
  connects: Record<string, number>;
}

interface ServerState {
  readonly key: string;
  connection?: SshConnection;
  connecting?: Promise<SshConnection>;
  failure?: Failure;
}

interface Failure {
  error: unknown;
  attempts: number;
  retryAt: number;
  /** The pinned host key at the time: accepting a new key lifts the backoff at once. */
  pinned: string | null;
}

export class SshPool {
  private readonly hostKeys: HostKeyPolicy;
  private readonly connectTimeoutMs: number;
  private readonly execTimeoutMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly maxOutputBytes: number;
  private readonly limiter: Limiter;
  private readonly servers = new Map<string, ServerState>();
  private readonly open = new Set<SshConnection>();
  private readonly connects = new Map<string, number>();

  constructor(options: SshPoolOptions) {
    this.hostKeys = options.hostKeys;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.execTimeoutMs = options.execTimeoutMs ?? 30_000;
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 10_000;
    this.backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.maxOutputBytes = options.maxOutputBytes ?? 8 * 1024 * 1024;
    this.limiter = new Limiter(Math.min(options.maxPerServer ?? 4, SSHD_MAX_SESSIONS), options.maxGlobal ?? 16);
  }

  /** Runs `cmd` and collects its outputs (see `maxOutputBytes`). A non-zero exit is a result, not an error. */
  async exec(target: SshTarget, cmd: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const started = performance.now();
    const run = await this.start(target, cmd, options.timeoutMs ?? this.execTimeoutMs);
    const output = await collect(run, options.stdin, this.maxOutputBytes);
    return { ...output, durationMs: performance.now() - started };
  }

  /**
   * Starts `cmd` and hands over its streams, for large or long outputs (backups). Resolves once the channel is open;
   * the slot is held until the channel closes.
   */
  stream(target: SshTarget, cmd: RemoteCommand, options: StreamOptions = {}): Promise<RemoteProcess> {
    return this.start(target, cmd, options.timeoutMs);
  }

  /**
   * Opens an SFTP session, hands it to `fn`, and ends it once `fn` settles. The session holds a slot throughout, as
   * sshd counts it against MaxSessions like a command; its opening has the commands' deadline (`execTimeoutMs`).
   */
  async sftp<T>(target: SshTarget, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    await this.connection(target); // fails fast, without taking a slot, while the server is down
    const release = await this.limiter.acquire(target.id);
    try {
      const connection = await this.connection(target);
      const sftp = await openSftp(connection, this.execTimeoutMs);
      const closed = new Promise<void>((resolve) => sftp.once('close', () => resolve()));
      try {
        return await fn(sftp);
      } finally {
        await endSftp(connection, sftp, closed);
      }
    } finally {
      release();
    }
  }

  /** Closes the server's connection (running commands fail) and forgets its backoff: the next command connects. */
  async close(targetId: string): Promise<void> {
    const state = this.servers.get(targetId);
    this.servers.delete(targetId);
    await state?.connection?.close();
  }

  async closeAll(): Promise<void> {
    this.servers.clear();
    await Promise.all([...this.open].map((connection) => connection.close()));
  }

  stats(): SshPoolStats {
    return {
      openConnections: this.open.size,
      inFlight: this.limiter.inFlight(),
      queued: this.limiter.queued(),
      connects: Object.fromEntries(this.connects),
    };
  }

  private async start(target: SshTarget, cmd: RemoteCommand, timeoutMs: number | undefined): Promise<RemoteRun> {
    if (!isRemoteCommand(cmd)) throw new TypeError('remote commands must be built with command() or script()');
    await this.connection(target); // fails fast, without taking a slot, while the server is down
    const release = await this.limiter.acquire(target.id);
    try {
      const run = await startRemote(await this.connection(target), cmd, timeoutMs);
      void run.finished.then(release);
      return run;
    } catch (err) {
      release();
      throw err;
    }
  }

  private connection(target: SshTarget): Promise<SshConnection> {
    const state = this.stateOf(target);
    if (state.connection?.usable === true) return Promise.resolve(state.connection);
    // Callers arriving during a connection attempt share it.
    state.connecting ??= this.connect(target, state).finally(() => (state.connecting = undefined));
    return state.connecting;
  }

  /** The server's state, replaced (old connection retired) when the target's connection parameters changed. */
  private stateOf(target: SshTarget): ServerState {
    const key = connectionKey(target);
    const current = this.servers.get(target.id);
    if (current?.key === key) return current;
    current?.connection?.retire();
    const state: ServerState = { key };
    this.servers.set(target.id, state);
    return state;
  }

  private async connect(target: SshTarget, state: ServerState): Promise<SshConnection> {
    const pinned = this.hostKeys.expected(target.id);
    const { failure } = state;
    // While backing off, the last error is the answer: a down server is not hammered, and callers do not hang.
    if (failure !== undefined && performance.now() < failure.retryAt && failure.pinned === pinned) throw failure.error;
    let connection: SshConnection;
    try {
      connection = await SshConnection.open(target, {
        hostKeys: this.hostKeys,
        timeoutMs: this.connectTimeoutMs,
        keepaliveIntervalMs: this.keepaliveIntervalMs,
      });
    } catch (error) {
      const attempts = (failure?.attempts ?? 0) + 1;
      const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (attempts - 1));
      state.failure = { error, attempts, retryAt: performance.now() + delay, pinned };
      throw error;
    }
    this.open.add(connection);
    void connection.closed.then(() => this.open.delete(connection));
    this.connects.set(target.id, (this.connects.get(target.id) ?? 0) + 1);
    if (this.servers.get(target.id) !== state) {
      // Closed or replaced while connecting.
      void connection.close();
      throw sshError('ssh_connection_lost', target, 'the connection was closed while connecting');
    }
    state.failure = undefined;
    state.connection = connection;
    connection.onLost(() => {
      if (state.connection === connection) state.connection = undefined;
    });
    return connection;
  }
}

/** Opens an SFTP session on `connection` within `timeoutMs`. */
async function openSftp(connection: SshConnection, timeoutMs: number): Promise<SFTPWrapper> {
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    const message = `the SFTP session did not open within ${timeoutMs} ms`;
    deadline.abort(sshError('ssh_timeout', connection.server, message, { phase: 'sftp', timeoutMs }));
  }, timeoutMs);
  try {
    return await connection.sftp(deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends the session and waits for its close: until then sshd still counts it. A server that never confirms is wedged. */
async function endSftp(connection: SshConnection, sftp: SFTPWrapper, closed: Promise<void>): Promise<void> {
  const wedged = setTimeout(() => {
    connection.destroy(sshError('ssh_connection_lost', connection.server, 'the server stopped answering'));
  }, SFTP_CLOSE_GRACE_MS);
  try {
    sftp.end();
  } catch {
    // ssh2 throws once the connection is torn down, which has closed the session already
  }
  await closed;
  clearTimeout(wedged);
}
