import type { SecretBox } from '../../core/platform';
import { safeStorage } from 'electron';

/**
 * Secrets (SSH passphrases, restic passwords) are encrypted with the OS keychain before they touch the disk;
 * the database only ever holds the ciphertext.
 */
export const secretBox: SecretBox = {
  available: (): boolean => safeStorage.isEncryptionAvailable(),
  seal: (plain: string): Buffer => safeStorage.encryptString(plain),
  open: (sealed: Buffer): string => safeStorage.decryptString(sealed),
};
