// Every SSH failure reaches callers as a CoreError with a stable code and {serverId, host, port}: never credentials,
// and never ssh2's own error objects, whose messages are not meant for users.
import { CoreError } from '../errors';
import type { HostKeyCheck } from './host-key';
import type { ServerRef } from './target';

export type SshErrorCode =
  | 'ssh_refused'
  | 'ssh_unreachable'
  | 'ssh_timeout'
  | 'ssh_handshake_failed'
  | 'ssh_auth_failed'
  | 'ssh_agent_unavailable'
  | 'ssh_key_passphrase'
  | 'ssh_key_invalid'
  | 'ssh_host_key_unknown'
  | 'ssh_host_key_changed'
  | 'ssh_connection_lost'
  | 'ssh_channel_failed'
  | 'ssh_exec_timeout'
  | 'ssh_output_too_large'
  | 'ssh_cancelled';

export function sshError(
  code: SshErrorCode,
  server: ServerRef,
  message: string,
  extra: Record<string, unknown> = {},
): CoreError {
  return new CoreError(code, `${server.host}:${server.port}: ${message}`, {
    serverId: server.id,
    host: server.host,
    port: server.port,
    ...extra,
  });
}

export function hostKeyError(server: ServerRef, check: Exclude<HostKeyCheck, { outcome: 'match' }>): CoreError {
  switch (check.outcome) {
    case 'unknown':
      return sshError('ssh_host_key_unknown', server, `unknown host key ${check.fingerprint}: accept it first`, {
        fingerprint: check.fingerprint,
      });
    case 'changed':
      return sshError(
        'ssh_host_key_changed',
        server,
        `HOST KEY CHANGED to ${check.actual} (expected ${check.expected}): someone may be intercepting the ` +
          'connection; nothing runs on this server until the new key is explicitly accepted',
        { expected: check.expected, actual: check.actual },
      );
  }
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Maps an error ssh2 or the socket emitted before the connection was ready. */
export function connectError(server: ServerRef, err: Error & { code?: unknown; level?: unknown }): CoreError {
  const code = typeof err.code === 'string' ? err.code : '';
  if (code === 'ECONNREFUSED') return sshError('ssh_refused', server, 'connection refused');
  if (UNREACHABLE.has(code)) return sshError('ssh_unreachable', server, `unreachable (${code})`, { reason: code });
  if (code === 'ETIMEDOUT') return sshError('ssh_timeout', server, 'TCP connection timed out', { phase: 'connect' });
  if (LOST.has(code) || /connection lost/i.test(err.message)) {
    return sshError('ssh_connection_lost', server, 'the server closed the connection during the handshake');
  }
  if (err.level === 'client-authentication') {
    return sshError('ssh_auth_failed', server, 'authentication failed: the server refused the user or key');
  }
  if (err.level === 'agent') return sshError('ssh_agent_unavailable', server, 'the SSH agent cannot be used');
  return sshError('ssh_handshake_failed', server, `SSH handshake failed: ${err.message}`);
}
