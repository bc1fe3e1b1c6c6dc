import { describe, expect, it } from 'vitest';
import { envNameProblem, fieldOfError, fingerprintProblem, folderProblem, identityProblem, keyFileProblem, keyProblem, normaliseKey, pickFingerprint } from './team-form';

const FINGERPRINT = 'SHA256:xsypBlmO0NjBXeqC88yr0T0B4Zcg/oz3L6T+c4xsVQs';

// 56 symbols as the sheet prints them: 14 groups of four.
const KEY = 'ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789 ABCD EFGH JKMN PQRS TVWX YZ01';

describe('the team forms’ checks', () => {
  it('wants a folder as an absolute path or an ssh:// address', () => {
    expect(folderProblem('  ')).toEqual({ code: 'required' });
    expect(folderProblem('usb/pelote')).toEqual({ code: 'notAbsolute' });
    expect(folderProblem(' /media/usb/pelote ')).toBeNull();
    expect(folderProblem('ssh://pelote@garage.example.org/srv/pelote')).toBeNull();
  });

  it('takes an empty key file (Pelote decides) or an absolute path', () => {
    expect(keyFileProblem('')).toBeNull();
    expect(keyFileProblem('/home/camille/team.key')).toBeNull();
    expect(keyFileProblem('team.key')).toEqual({ code: 'notAbsolute' });
  });

  it('reads a typed key as the core does: spaces, dashes and case aside, O as 0, I and L as 1', () => {
    expect(normaliseKey('abcd-efgh ijkl\nmnoo')).toBe('ABCDEFGH1JK1MN00');
    expect(keyProblem(KEY)).toBeNull();
    expect(keyProblem(KEY.toLowerCase().replace(/ /g, '-'))).toBeNull();
  });

  it('names a key that is too short or holds a letter keys never use', () => {
    expect(keyProblem('')).toEqual({ code: 'required' });
    expect(keyProblem(KEY.slice(0, -5))).toEqual({ code: 'keyLength', count: 52 });
    expect(keyProblem(KEY.replace('ABCD', 'ABCU'))).toEqual({ code: 'keyCharacter', character: 'U' });
  });

  it('takes a key file and a fingerprint together or not at all, the fingerprint as ssh-keygen prints it', () => {
    expect(identityProblem('', '')).toBeNull();
    expect(fingerprintProblem('', '')).toBeNull();
    expect(identityProblem('', FINGERPRINT)).toEqual({ code: 'identityMissing' });
    expect(fingerprintProblem('', '/home/camille/.ssh/id_ed25519')).toEqual({ code: 'fingerprintMissing' });
    expect(identityProblem('.ssh/id_ed25519', FINGERPRINT)).toEqual({ code: 'identityNotAbsolute' });
    expect(fingerprintProblem('SHA256:abc', '/k')).toEqual({ code: 'fingerprintFormat' });
    expect(fingerprintProblem('MD5:aa:bb', '/k')).toEqual({ code: 'fingerprintFormat' });
    // The whole line of `ssh-keygen -lf` may be pasted: the fingerprint is taken out of it.
    expect(pickFingerprint(`256 ${FINGERPRINT} root@garage (ED25519)`)).toBe(FINGERPRINT);
    expect(pickFingerprint(` ${FINGERPRINT} `)).toBe(FINGERPRINT);
    expect(pickFingerprint(`${FINGERPRINT} ${FINGERPRINT.replace('x', 'y')}`)).toBeNull();
    expect(envNameProblem('PELOTE_KEY')).toBeNull();
    expect(envNameProblem('1KEY')).toEqual({ code: 'envName' });
    expect(envNameProblem(' ')).toEqual({ code: 'required' });
  });

  it('puts the core’s refusals under the field they are about', () => {
    const error = (code: string, details?: Record<string, unknown>) => ({ code, message: '', details });
    expect(fieldOfError(error('sync_team_key_wrong'))).toBe('key');
    expect(fieldOfError(error('sync_team_key_mistyped'))).toBe('key');
    expect(fieldOfError(error('sync_folder_missing'))).toBe('folder');
    expect(fieldOfError(error('sync_team_exists'))).toBe('folder');
    expect(fieldOfError(error('sync_key_file_unwritable'))).toBe('keyFile');
    expect(fieldOfError(error('invalid_argument', { issues: [{ path: ['keyFile'] }] }))).toBe('keyFile');
    expect(fieldOfError(error('sync_join_host_key_mismatch'))).toBe('fingerprint');
    expect(fieldOfError(error('sync_join_host_key_differs'))).toBe('fingerprint');
    expect(fieldOfError(error('ssh_key_passphrase'))).toBe('identity');
    expect(fieldOfError(error('ssh_passphrase_missing', { source: 'file' }))).toBe('passphraseFile');
    expect(fieldOfError(error('invalid_argument', { issues: [{ path: ['fingerprint'] }] }))).toBe('fingerprint');
    expect(fieldOfError(error('invalid_argument', { issues: [{ path: ['passphrase', 'name'] }] }))).toBe('passphraseEnv');
    expect(fieldOfError(error('sync_already_in_team'))).toBeNull();
    expect(fieldOfError(error('db_busy'))).toBeNull();
  });
});
