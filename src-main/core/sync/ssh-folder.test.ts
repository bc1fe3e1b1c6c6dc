import { describe, expect, it } from 'vitest';
import { parseSshFolder } from './ssh-folder';

describe('ssh:// team folder addresses', () => {
  it.each([
    ['ssh://pelote@example.org/srv/team', { username: 'pelote', host: 'example.org', port: 22, path: '/srv/team', label: 'ssh://pelote@example.org:22/srv/team' }],
    ['ssh://backup_1@Host-1.example.org:2222/srv/pelote team', { host: 'Host-1.example.org', port: 2222, path: '/srv/pelote team' }],
    ['ssh://u@127.0.0.1:65535/x/', { host: '127.0.0.1', port: 65535, path: '/x/', label: 'ssh://u@127.0.0.1:65535/x/' }],
    ['ssh://u@[::1]:2222/a@b/c-d', { host: '::1', port: 2222, path: '/a@b/c-d', label: 'ssh://u@[::1]:2222/a@b/c-d' }],
  ])('reads %s', (address, expected) => {
    expect(parseSshFolder(address)).toMatchObject(expected);
  });

  it.each([
    ['sftp://u@h/x', 'not an ssh:// address'],
    ['ssh://h/x', 'no user'],
    ['ssh://u@h', 'no path'],
    ['ssh://-u@h/x', 'a user starting with -'],
    ['ssh:// u@h/x', 'a space before the user'],
    ['ssh://u@v@h/x', 'two @'],
    ['ssh://u@-h/x', 'a host starting with -'],
    ['ssh://u@h o/x', 'a space in the host'],
    ['ssh://u@::1/x', 'an IPv6 address without brackets'],
    ['ssh://u@[example.org]/x', 'a host name in brackets'],
    ['ssh://u@h:/x', 'an empty port'],
    ['ssh://u@h:0/x', 'port 0'],
    ['ssh://u@h:65536/x', 'port 65536'],
    ['ssh://u@h:022/x', 'a port with a leading zero'],
    ['ssh://u@h:22x/x', 'a port with letters'],
    ['ssh://u@h/srv/-team', 'a path component starting with -'],
    ['ssh://u@h/-', 'a path that is an option'],
    ['ssh://u@h/srv/../etc', 'a .. component'],
    ['ssh://u@h/srv/te\u202eam', 'a bidi override'],
    ['ssh://u@h/srv\nx', 'a line break'],
    ['ssh://u@h/srv/team ', 'a trailing space'],
  ])('refuses %j (%s)', (address) => {
    let refusal: unknown;
    try {
      parseSshFolder(address);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'sync_folder_address_invalid', details: { folder: address } });
  });
});
