import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprintOf } from './host-key';

describe('fingerprintOf', () => {
  it('prints what ssh-keygen -l prints', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    // An OpenSSH ed25519 key blob: string "ssh-ed25519", string <32-byte key>.
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([lengthPrefixed(Buffer.from('ssh-ed25519')), lengthPrefixed(raw)]);
    const line = `ssh-ed25519 ${blob.toString('base64')} test`;
    const listed = spawnSync('ssh-keygen', ['-l', '-f', '-'], { input: line, encoding: 'utf8' });
    expect(listed.stdout.split(' ')[1]).toBe(fingerprintOf(blob));
    expect(fingerprintOf(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('checkHostKey', () => {
  it('tells a match, an unknown key and a changed key apart', () => {
    expect(checkHostKey('SHA256:a', 'SHA256:a')).toEqual({ outcome: 'match', fingerprint: 'SHA256:a' });
    expect(checkHostKey(null, 'SHA256:a')).toEqual({ outcome: 'unknown', fingerprint: 'SHA256:a' });
    expect(checkHostKey('SHA256:a', 'SHA256:b')).toEqual({ outcome: 'changed', expected: 'SHA256:a', actual: 'SHA256:b' });
  });
});

function lengthPrefixed(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}
