/**
 * The create and join forms' checks, before anything is sent: the same rules as the contract (an absolute path or
 * an ssh:// address, an absolute key file path) and the team key's printed shape, so a typo is named at once.
 */
import type { ApiError } from '../../../src-main/contract';
import { HOST_KEY_FINGERPRINT } from '../../../src-main/contract/servers';

/** Crockford base32, as the sheet prints it: no I, L, O or U. */
const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 52 symbols of key and 4 of check, in 14 groups of four. */
export const KEY_SYMBOLS = 56;

export type FieldProblem =
  | { code: 'required' }
  | { code: 'notAbsolute' }
  | { code: 'keyLength'; count: number }
  | { code: 'keyCharacter'; character: string }
  | { code: 'identityMissing' }
  | { code: 'identityNotAbsolute' }
  | { code: 'fingerprintMissing' }
  | { code: 'fingerprintFormat' }
  | { code: 'envName' };

export function folderProblem(folder: string): FieldProblem | null {
  const value = folder.trim();
  if (value === '') return { code: 'required' };
  return value.startsWith('/') || value.startsWith('ssh://') ? null : { code: 'notAbsolute' };
}

/** Optional: empty keeps the key where Pelote decides (the keychain, else the data folder). */
export function keyFileProblem(keyFile: string): FieldProblem | null {
  const value = keyFile.trim();
  return value === '' || value.startsWith('/') ? null : { code: 'notAbsolute' };
}

/** As typed from the sheet: spaces, dashes and case do not matter, O reads as 0 and I or L as 1 (as the core reads it). */
export function normaliseKey(key: string): string {
  return key
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function keyProblem(key: string): FieldProblem | null {
  const symbols = normaliseKey(key);
  if (symbols === '') return { code: 'required' };
  const character = new RegExp(`[^${KEY_ALPHABET}]`, 'u').exec(symbols)?.[0];
  if (character !== undefined) return { code: 'keyCharacter', character };
  return symbols.length === KEY_SYMBOLS ? null : { code: 'keyLength', count: symbols.length };
}

export const isSshFolder = (folder: string): boolean => folder.trim().startsWith('ssh://');

/**
 * The fingerprint in what was pasted: `ssh-keygen -lf` prints `256 SHA256:… root@host (ED25519)`, and the volunteer
 * may paste the whole line. Null when it holds none.
 */
export function pickFingerprint(text: string): string | null {
  const found = text.trim().split(/\s+/).filter((word) => HOST_KEY_FINGERPRINT.test(word));
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** The key file and the fingerprint come together, or not at all (a server this computer already knows). */
export function identityProblem(identity: string, fingerprint: string): FieldProblem | null {
  const value = identity.trim();
  if (value === '') return fingerprint.trim() === '' ? null : { code: 'identityMissing' };
  return value.startsWith('/') ? null : { code: 'identityNotAbsolute' };
}

export function fingerprintProblem(fingerprint: string, identity: string): FieldProblem | null {
  if (fingerprint.trim() === '') return identity.trim() === '' ? null : { code: 'fingerprintMissing' };
  return pickFingerprint(fingerprint) === null ? { code: 'fingerprintFormat' } : null;
}

/** As the contract's passphrase source: an environment variable's name. */
export function envNameProblem(name: string): FieldProblem | null {
  const value = name.trim();
  if (value === '') return { code: 'required' };
  return /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(value) ? null : { code: 'envName' };
}

export type TeamField = 'folder' | 'key' | 'keyFile' | 'identity' | 'fingerprint' | 'passphraseEnv' | 'passphraseFile';

/** Which field a refusal from the core is about, so it is shown (and focused) there; null: about the whole form. */
export function fieldOfError(error: ApiError): TeamField | null {
  const { code } = error;
  if (code === 'invalid_argument') {
    const issues = (error.details?.issues ?? []) as { path?: string[] }[];
    const [field, detail] = issues[0]?.path ?? [];
    if (field === 'passphrase') return detail === 'name' ? 'passphraseEnv' : detail === 'path' ? 'passphraseFile' : null;
    return field === 'folder' || field === 'key' || field === 'keyFile' || field === 'identity' || field === 'fingerprint' ? field : null;
  }
  if (code === 'sync_team_key_mistyped' || code === 'sync_team_key_wrong') return 'key';
  if (code === 'sync_join_host_key_mismatch' || code === 'sync_join_host_key_differs') return 'fingerprint';
  if (code === 'ssh_key_unreadable' || code === 'ssh_key_invalid' || code === 'ssh_key_passphrase' || code === 'ssh_auth_failed') return 'identity';
  if (code === 'ssh_passphrase_missing') {
    const source = error.details?.source;
    return source === 'env' ? 'passphraseEnv' : source === 'file' ? 'passphraseFile' : null;
  }
  if (code === 'sync_key_file_unwritable') return 'keyFile';
  if (code.startsWith('sync_folder_') || code === 'sync_not_team_folder' || code === 'sync_team_exists' || code === 'sync_other_team') return 'folder';
  return null;
}
