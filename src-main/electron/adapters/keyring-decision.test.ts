import { describe, expect, it } from 'vitest';
import { keyringState } from './keyring-decision';

describe('keyring decision', () => {
  it('refuses Linux basic_text, which Electron calls available although its key is a constant', () => {
    expect(keyringState('linux', true, 'basic_text')).toEqual({ available: false, reason: 'no_keyring', backend: 'basic_text' });
    expect(keyringState('linux', true, 'unknown')).toMatchObject({ available: false, reason: 'no_keyring' });
    expect(keyringState('linux', true, null)).toMatchObject({ available: false, reason: 'no_keyring' });
  });

  it('accepts a real Linux keyring and the macOS and Windows stores', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) expect(keyringState('linux', true, backend)).toEqual({ available: true });
    expect(keyringState('darwin', true, null)).toEqual({ available: true });
    expect(keyringState('win32', true, null)).toEqual({ available: true });
  });

  it('is unavailable wherever Electron says encryption is', () => {
    expect(keyringState('darwin', false, null)).toMatchObject({ available: false, reason: 'no_encryption' });
    expect(keyringState('linux', false, 'gnome_libsecret')).toMatchObject({ available: false, reason: 'no_encryption' });
  });
});
