import type { SecretBox } from '../../core/platform';
import { safeStorage } from 'electron';
import { keyringState } from './keyring-decision';

// getSelectedStorageBackend() exists on Linux only, once the app is ready.
const state = () =>
  keyringState(process.platform, safeStorage.isEncryptionAvailable(), process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);

/**
 * Secrets (SSH passphrases, restic passwords) are encrypted with the OS keychain before they touch the disk;
 * the database only ever holds the ciphertext.
 */
export const secretBox: SecretBox = {
  available: (): boolean => state().available,
  unavailableReason: () => {
    const current = state();
    return current.available ? null : current.reason;
  },
  seal: (plain: string): Buffer => safeStorage.encryptString(plain),
  open: (sealed: Buffer): string => safeStorage.decryptString(sealed),
};
