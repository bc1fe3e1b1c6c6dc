/**
 * The create and join forms' checks, before anything is sent: the same rules as the contract (an absolute path or
 * an ssh:// address, an absolute key file path) and the team key's printed shape, so a typo is named at once.
 */
import type { ApiError } from '../../../src-main/contract';

/** Crockford base32, as the sheet prints it: no I, L, O or U. */
const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 52 symbols of key and 4 of check, in 14 groups of four. */
export const KEY_SYMBOLS = 56;

export type FieldProblem = { code: 'required' } | { code: 'notAbsolute' } | { code: 'keyLength'; count: number } | { code: 'keyCharacter'; character: string };

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

export type TeamField = 'folder' | 'key' | 'keyFile';

/** Which field a refusal from the core is about, so it is shown (and focused) there; null: about the whole form. */
export function fieldOfError(error: ApiError): TeamField | null {
  const { code } = error;
  if (code === 'invalid_argument') {
    const issues = (error.details?.issues ?? []) as { path?: string[] }[];
    const field = issues[0]?.path?.[0];
    return field === 'folder' || field === 'key' || field === 'keyFile' ? field : null;
  }
  if (code === 'sync_team_key_mistyped' || code === 'sync_team_key_wrong') return 'key';
  if (code === 'sync_key_file_unwritable') return 'keyFile';
  if (code.startsWith('sync_folder_') || code === 'sync_not_team_folder' || code === 'sync_team_exists' || code === 'sync_other_team') return 'folder';
  return null;
}
