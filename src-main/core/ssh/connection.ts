// One authenticated ssh2 connection to one server, with the connection-time rules: our own socket with TCP_NODELAY,
// one deadline over TCP connect + handshake + authentication, host key pinning, keepalives.
import net from 'node:net';
import {
  Client,
  utils,
  type AgentAuthMethod,
  type ClientChannel,
  type ConnectConfig,
  type ParsedKey,
  type PublicKeyAuthMethod,
  type SFTPWrapper,
} from 'ssh2';
import type { CoreError } from '../errors';
import { checkHostKey, fingerprintOf, type HostKeyCheck, type HostKeyPolicy } from './host-key';
import type { RemoteCommand } from './shell-quote';
import { connectError, hostKeyError, sshError } from './ssh-errors';
import type { ServerRef, SshTarget } from './target';

export const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;
/** Missed keepalive replies (one per interval) before the connection counts as dead. */
const KEEPALIVE_COUNT_MAX = 3;
/** A refused channel is retried after this delay, doubling up to MAX_OPEN_RETRY_MS. */
const OPEN_RETRY_MS = 5;
const MAX_OPEN_RETRY_MS = 100;
/** Retries of a refused channel when no other command runs on the connection (5 + 10 + ... + 80 ms). */
const IDLE_OPEN_RETRIES = 5;
/** How long a closing connection may take to say goodbye before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/** Asks ssh2 for one session; `answer` is its callback. */
type SessionRequest<S> = (answer: (err: Error | undefined, session: S) => void) => void;

export interface ConnectOptions {
  hostKeys: HostKeyPolicy;
  /** Deadline for TCP connect, SSH handshake and authentication together. */
  timeoutMs: number;
  keepaliveIntervalMs: number;
}

export class SshConnection {
  /** Resolves once the socket is closed. */
  readonly closed: Promise<void>;
  private lostReason: CoreError | undefined;
  private readonly lostListeners = new Set<(reason: CoreError) => void>();
  private channels = 0;
  private retiring = false;

  private constructor(
    private readonly client: Client,
    readonly server: ServerRef,
  ) {
    client.on('error', (err) => this.markLost(lostError(server, err)));
    client.on('end', () => this.markLost(lostError(server)));
    this.closed = new Promise((resolve) =>
      client.on('close', () => {
        this.markLost(lostError(server));
        resolve();
      }),
    );
  }

  static async open(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
    const login = { username: target.username, ...authConfig(target) };
    const server: ServerRef = { id: target.id, host: target.host, port: target.port };
    const client = new Client();
    // Listening from the start: ssh2 may emit errors at any time, and an unheard 'error' would crash the process.
    const connection = new SshConnection(client, server);
    await handshake(client, server, login, options);
    return connection;
  }

  /** Whether it takes new commands. */
  get usable(): boolean {
    return this.lostReason === undefined && !this.retiring;
  }

  /** Called once when the connection goes away (at once if it already has); returns the unsubscribe function. */
  onLost(listener: (reason: CoreError) => void): () => void {
    if (this.lostReason !== undefined) {
      listener(this.lostReason);
      return () => undefined;
    }
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Opens a session channel running `cmd`. Aborting `signal` rejects with its reason; if the server had not even
   * answered the channel request by then, it is wedged and the connection is dropped.
   */
  exec(cmd: RemoteCommand, signal: AbortSignal): Promise<ClientChannel> {
    return this.openSession<ClientChannel>(signal, 'cannot run', (answer) => this.client.exec(cmd.text, answer));
  }

  /** Opens an SFTP session: a session channel too, counted, retried and aborted as `exec`'s are. End it with end(). */
  async sftp(signal: AbortSignal): Promise<SFTPWrapper> {
    const sftp = await this.openSession<SFTPWrapper>(signal, 'cannot open SFTP', (answer) => this.client.sftp(answer));
    // Once ready, ssh2 reports a protocol error only as an event (it also fails the pending requests and closes the
    // session): unheard, it would crash the process.
    sftp.on('error', () => undefined);
    return sftp;
  }

  private async openSession<S extends ClientChannel | SFTPWrapper>(signal: AbortSignal, what: string, request: SessionRequest<S>): Promise<S> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.openChannel(signal, what, request);
      } catch (err) {
        // sshd refuses sessions beyond MaxSessions, and counts a closed one until its next loop turn: a refusal is
        // retried while commands run here (one will end) and briefly otherwise — not once the connection retires.
        const refused = (err as CoreError).code === 'ssh_channel_failed';
        if (!refused || !this.usable || (this.channels === 0 && attempt >= IDLE_OPEN_RETRIES)) throw err;
        await pause(Math.min(OPEN_RETRY_MS * 2 ** attempt, MAX_OPEN_RETRY_MS), signal);
      }
    }
  }

  private openChannel<S extends ClientChannel | SFTPWrapper>(signal: AbortSignal, what: string, request: SessionRequest<S>): Promise<S> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      if (this.lostReason !== undefined) return reject(this.lostReason);
      if (this.retiring) {
        return reject(sshError('ssh_connection_lost', this.server, 'the connection is being replaced'));
      }
      const onAbort = (): void => {
        reject(signal.reason as Error);
        this.destroy(sshError('ssh_connection_lost', this.server, 'the server stopped answering'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const unsubscribe = this.onLost(reject);
      const answered = (): void => {
        signal.removeEventListener('abort', onAbort);
        unsubscribe();
      };
      // Counted from the request on, so that retiring the connection waits for channels being opened too.
      this.channels++;
      try {
        request((err, session) => {
          answered();
          if (err !== undefined) {
            this.channelGone();
            // A refused open (MaxSessions) carries a reason. A refused request (exec, the sftp subsystem) leaves its
            // session open on the server, out of ssh2's reach, counting against MaxSessions: the connection is
            // replaced once its other channels are done.
            reject(this.lostReason ?? sshError('ssh_channel_failed', this.server, `${what}: ${err.message}`));
            if (!('reason' in err)) this.retire();
            return;
          }
          // After the owner's own 'close' listener (added later), so that a command's exit is settled first.
          session.once('close', () => queueMicrotask(() => this.channelGone()));
          resolve(session);
        });
      } catch {
        answered();
        this.channelGone();
        reject(lostError(this.server)); // ssh2 throws 'Not connected' once the socket is gone
      }
    });
  }

  private channelGone(): void {
    this.channels--;
    if (this.retiring && this.channels === 0) void this.close();
  }

  /** Ends the connection now: commands still running on it fail with 'ssh_connection_lost'. */
  close(): Promise<void> {
    this.markLost(sshError('ssh_connection_lost', this.server, 'the connection was closed'));
    this.client.end();
    const unanswered = setTimeout(() => this.client.destroy(), CLOSE_GRACE_MS);
    return this.closed.finally(() => clearTimeout(unanswered));
  }

  /** Takes no new commands and closes once the running ones have finished. */
  retire(): void {
    this.retiring = true;
    if (this.channels === 0) void this.close();
  }

  /** Drops a connection that stopped answering, without waiting for the server. */
  destroy(reason: CoreError): void {
    this.markLost(reason);
    this.client.destroy();
  }

  private markLost(reason: CoreError): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    for (const listener of this.lostListeners) listener(reason);
    this.lostListeners.clear();
  }
}

/** Connects only far enough to learn the server's host key fingerprint, for the user to accept it. */
export async function probeHostKey(
  server: ServerRef,
  { timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<string> {
  const client = new Client();
  client.on('error', () => undefined); // errors after the refused key (ssh2 keeps reporting) are expected
  try {
    // Nothing pinned: the verifier records the key and refuses it, so no authentication is ever attempted.
    const options = { timeoutMs, keepaliveIntervalMs: 0, hostKeys: { expected: () => null } };
    await handshake(client, server, { username: 'pelote-probe' }, options);
  } catch (err) {
    const fingerprint = (err as CoreError).details?.fingerprint;
    if ((err as CoreError).code === 'ssh_host_key_unknown' && typeof fingerprint === 'string') return fingerprint;
    throw err;
  }
  client.destroy();
  throw new Error('the handshake went through with no pinned host key');
}

/**
 * ssh2's authentication for the target, checked before any connection is attempted. The key is decrypted once,
 * here, and handed over parsed: a wrong passphrase is told apart from a refused key, and the key derivation (about
 * half a second for an OpenSSH-encrypted key) is not paid twice.
 */
function authConfig(target: SshTarget): Pick<ConnectConfig, 'authHandler'> {
  const { auth, username } = target;
  if (auth.kind === 'agent') {
    const agent = process.env.SSH_AUTH_SOCK;
    if (agent === undefined || agent === '') {
      throw sshError('ssh_agent_unavailable', target, 'no SSH agent: SSH_AUTH_SOCK is not set');
    }
    const viaAgent: AgentAuthMethod = { type: 'agent', username, agent };
    return { authHandler: [viaAgent] };
  }
  const parsed = utils.parseKey(auth.privateKey, auth.passphrase);
  if (parsed instanceof Error) {
    if (/passphrase/i.test(parsed.message)) {
      const given = auth.passphrase !== undefined && auth.passphrase !== '';
      const message = given ? 'wrong passphrase for the private key' : 'the private key needs its passphrase';
      throw sshError('ssh_key_passphrase', target, message);
    }
    throw sshError('ssh_key_invalid', target, 'the private key cannot be read');
  }
  // parseKey returns an array for OpenSSH-format keys (its types do not say so); ssh2 takes back one key.
  const keys: unknown = parsed;
  const key = Array.isArray(keys) ? (keys[0] as ParsedKey) : parsed;
  const withKey: PublicKeyAuthMethod = { type: 'publickey', username, key };
  return { authHandler: [withKey] };
}

function handshake(
  client: Client,
  server: ServerRef,
  login: { username: string } & Pick<ConnectConfig, 'authHandler'>,
  options: ConnectOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // ssh2 leaves Nagle on: each exec round trip would stall ~40 ms.
    const sock = net.connect({ host: server.host, port: server.port, noDelay: true });
    let refusedKey: Exclude<HostKeyCheck, { outcome: 'match' }> | undefined;
    const settle = (error?: CoreError): void => {
      clearTimeout(deadline);
      client.off('error', onError).off('close', onClose).off('ready', onReady);
      if (error === undefined) return resolve();
      client.destroy();
      sock.destroy();
      reject(error);
    };
    const deadline = setTimeout(() => {
      const phase = sock.connecting ? 'connect' : 'handshake';
      settle(sshError('ssh_timeout', server, `no answer within ${options.timeoutMs} ms (${phase})`, { phase }));
    }, options.timeoutMs);
    // The first error decides: more may follow (the agent's, then authentication's), heard by the connection.
    const onError = (err: Error): void =>
      settle(refusedKey === undefined ? connectError(server, err) : hostKeyError(server, refusedKey));
    const onClose = (): void => settle(connectError(server, new Error('connection lost before authentication')));
    const onReady = (): void => settle();
    client.on('error', onError).on('close', onClose).on('ready', onReady);
    client.connect({
      sock,
      ...login,
      hostVerifier: (key: Buffer) => {
        const check = checkHostKey(options.hostKeys.expected(server.id), fingerprintOf(key));
        if (check.outcome === 'match') return true;
        refusedKey = check;
        return false;
      },
      readyTimeout: 0, // our deadline covers it
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    });
  });
}

function lostError(server: ServerRef, cause?: Error & { level?: unknown }): CoreError {
  const why = cause?.level === 'client-timeout' ? 'the server stopped answering keepalives' : 'the connection was lost';
  return sshError('ssh_connection_lost', server, why);
}

/** Waits `ms`, or rejects with the signal's reason once it is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
