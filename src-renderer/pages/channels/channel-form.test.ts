import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../src-main/contract';
import { EMPTY_DRAFT, checkAdd, checkUpdate, errorDetails, fieldOfError, splitAddresses } from './channel-form';

const email = { ...EMPTY_DRAFT, name: 'Admins', host: 'smtp.example.org', from: 'pelote@example.org', to: 'a@example.org, b@example.org' };
const saved: Channel = {
  id: 'c1', name: 'Admins', kind: 'email', hasSecret: true, lastOkAt: null, lastError: null, failingSince: null, createdAt: '', updatedAt: '',
  settings: { host: 'smtp.example.org', port: 587, security: 'starttls', username: 'pelote', from: 'pelote@example.org', to: ['a@example.org'] },
};

describe('channel form', () => {
  it('builds the contract input from an e-mail draft', () => {
    const check = checkAdd(email);
    expect(check.ok && check.value).toEqual({
      kind: 'email', name: 'Admins', secret: null,
      settings: { host: 'smtp.example.org', port: 587, security: 'starttls', username: null, from: 'pelote@example.org', to: ['a@example.org', 'b@example.org'] },
    });
  });

  it('names each invalid field: a bad address, a port, an option-like host, a login without password', () => {
    const check = checkAdd({ ...email, to: 'a@example.org, alerts@', port: '99999', host: '-oProxy', username: 'pelote' });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual({ to: 'channels.errors.to', port: 'channels.errors.port', host: 'channels.errors.host', secret: 'channels.errors.login' });
  });

  it('checks each kind by its own rules', () => {
    expect(checkAdd({ ...EMPTY_DRAFT, kind: 'ntfy', name: 'Phones', topic: 'bad topic' }).problems).toEqual({ topic: 'channels.errors.topic' });
    expect(checkAdd({ ...EMPTY_DRAFT, kind: 'matrix', name: 'Room', homeserverUrl: 'file:///etc', roomId: '#alias:example.org' }).problems).toEqual({
      homeserverUrl: 'channels.errors.homeserverUrl', roomId: 'channels.errors.roomId', secret: 'channels.errors.accessToken',
    });
    expect(checkAdd({ ...EMPTY_DRAFT, kind: 'webhook', name: 'Chat', secret: 'javascript:alert(1)' }).problems).toEqual({ secret: 'channels.errors.webhookUrl' });
    expect(checkAdd({ ...EMPTY_DRAFT, kind: 'webhook', name: 'Chat', secret: ' https://chat.example.org/hooks/x ' }).ok).toBe(true);
  });

  it('on an edit, an empty secret keeps the saved one; a new user name on a channel without a password needs one', () => {
    const check = checkUpdate({ ...email, username: 'pelote' }, saved);
    expect(check.ok && 'secret' in check.value).toBe(false);
    expect(checkUpdate({ ...email, username: 'pelote' }, { ...saved, hasSecret: false }).problems).toEqual({ secret: 'channels.errors.login' });
  });

  it('places core refusals under their field', () => {
    expect(fieldOfError({ code: 'channel_name_taken', message: '' })).toBe('name');
    expect(fieldOfError({ code: 'invalid_argument', message: '', details: { issues: [{ path: ['settings', 'to', 1] }] } })).toBe('to');
    expect(fieldOfError({ code: 'channel_smtp_refused', message: '' })).toBeNull();
  });

  it('gives a stored error what its message names', () => {
    const failing: Channel = { ...saved, kind: 'ntfy', settings: { serverUrl: 'http://127.0.0.1:9/', topic: 't', priority: 4 }, lastError: { code: 'channel_http_status', message: 'ntfy (127.0.0.1:9) answered HTTP 502.', at: '' } };
    expect(errorDetails(failing)).toEqual({ host: '127.0.0.1:9', status: '502' });
    expect(splitAddresses(' a@x.org;b@x.org\nc@x.org ')).toEqual(['a@x.org', 'b@x.org', 'c@x.org']);
  });
});
