import { describe, expect, it } from 'vitest';
import { connectError } from './ssh-errors';

const server = { id: 's1', host: 'nas.example.org', port: 2222 };

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code, level: 'client-socket' });
}

describe('connectError', () => {
  // Unreachable hosts cannot be produced on loopback, so their mapping is checked on the errors Node reports.
  it.each([
    ['ECONNREFUSED', 'ssh_refused'],
    ['EHOSTUNREACH', 'ssh_unreachable'],
    ['ENETUNREACH', 'ssh_unreachable'],
    ['ENOTFOUND', 'ssh_unreachable'],
    ['EAI_AGAIN', 'ssh_unreachable'],
    ['ETIMEDOUT', 'ssh_timeout'],
    ['ECONNRESET', 'ssh_connection_lost'],
  ])('maps %s to %s, with the server in the details', (code, expected) => {
    const error = connectError(server, socketError(code));
    expect(error.code).toBe(expected);
    expect(error.details).toMatchObject({ serverId: 's1', host: 'nas.example.org', port: 2222 });
    expect(error.message).toContain('nas.example.org:2222');
  });

  it('tells authentication, agent and protocol failures apart', () => {
    const failure = (message: string, level: string): Error => Object.assign(new Error(message), { level });
    expect(connectError(server, failure('All configured authentication methods failed', 'client-authentication')).code)
      .toBe('ssh_auth_failed');
    expect(connectError(server, failure('Failed to connect to agent', 'agent')).code).toBe('ssh_agent_unavailable');
    expect(connectError(server, failure('Connection lost before handshake', 'protocol')).code).toBe('ssh_connection_lost');
    expect(connectError(server, failure('Handshake failed: no matching cipher', 'handshake')).code)
      .toBe('ssh_handshake_failed');
  });
});
