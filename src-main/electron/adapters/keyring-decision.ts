/**
 * Whether Electron's safeStorage really protects a secret. On Linux without a keyring (no GNOME Keyring, no
 * KWallet) it still reports encryption as available but falls back to its `basic_text` backend, whose key is a
 * constant in Chromium's source: anyone reading the database could open the "sealed" secret. Treat that as no
 * keyring, so secrets go to a 0600 file or an environment variable instead, and say why.
 */
export type KeyringState = { available: true } | { available: false; reason: 'no_encryption' | 'no_keyring'; backend: string | null };

export function keyringState(os: NodeJS.Platform, encryptionAvailable: boolean, linuxBackend: string | null): KeyringState {
  if (!encryptionAvailable) return { available: false, reason: 'no_encryption', backend: linuxBackend };
  if (os === 'linux' && (linuxBackend === null || linuxBackend === 'basic_text' || linuxBackend === 'unknown')) {
    return { available: false, reason: 'no_keyring', backend: linuxBackend };
  }
  return { available: true };
}
