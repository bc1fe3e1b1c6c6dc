// The team key: 32 random bytes, shown once on the printable team key sheet and typed back on each joining laptop.
// Its printed form is Crockford base32 (no I, L, O, U: nothing to misread on paper) in groups of four, ending with a
// check group, so that a typo is caught here, before any decryption could blame the folder.
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { CoreError } from '../../errors';

export const TEAM_KEY_BYTES = 32;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 256 bits in 5-bit symbols: 52 symbols, the last one carrying 4 zero bits. */
const KEY_SYMBOLS = Math.ceil((TEAM_KEY_BYTES * 8) / 5);
/** 20 bits of a hash: a random typo slips through once in a million, and then fails as a wrong key. */
const CHECK_SYMBOLS = 4;
const GROUP = 4;
/** What people misread or mistype for a symbol: Crockford's rule. */
const CONFUSABLE: Record<string, string> = { O: '0', I: '1', L: '1' };

/** The purposes a team key is used for, each with its own subkey. */
export type KeyPurpose = 'check' | 'segment' | 'head' | 'snapshot' | 'lease';

export function generateTeamKey(): Buffer {
  return randomBytes(TEAM_KEY_BYTES);
}

/** The sheet's text: 14 groups of four symbols separated by spaces, the last group being the check. */
export function formatTeamKey(key: Buffer): string {
  checkKeyLength(key);
  const symbols = toBase32(key) + checkSymbols(key);
  return symbols.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join(' ') ?? '';
}

/** Reads a typed key: spaces, dashes and case do not matter, O reads as 0 and I or L as 1. */
export function parseTeamKey(text: string): Buffer {
  const symbols = text
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015]/g, '') // hyphens and dashes, as a word processor may have turned them
    .replace(/[OIL]/g, (c) => CONFUSABLE[c] ?? c);
  if (symbols.length !== KEY_SYMBOLS + CHECK_SYMBOLS) {
    throw mistyped(`the key has ${symbols.length} letters and digits instead of ${KEY_SYMBOLS + CHECK_SYMBOLS}`, { reason: 'length' });
  }
  const invalid = new RegExp(`[^${ALPHABET}]`, 'u').exec(symbols)?.[0];
  if (invalid !== undefined) throw mistyped(`"${invalid}" does not occur in team keys`, { reason: 'character', character: invalid });
  const key = fromBase32(symbols.slice(0, KEY_SYMBOLS));
  if (key === null || checkSymbols(key) !== symbols.slice(KEY_SYMBOLS)) throw mistyped('its check group does not match', { reason: 'checksum' });
  return key;
}

/** Public: team.json carries it, so that a wrong key is named as such without trying to decrypt anything. */
export function keyId(key: Buffer): string {
  checkKeyLength(key);
  return createHmac('sha256', key).update('pelote team key id').digest().subarray(0, 8).toString('hex');
}

/** One key per purpose (HKDF-SHA256): a file of one kind can never be opened as another. */
export function subkey(key: Buffer, purpose: KeyPurpose): Buffer {
  checkKeyLength(key);
  return Buffer.from(hkdfSync('sha256', key, 'pelote team folder', `pelote ${purpose} key`, 32));
}

function checkKeyLength(key: Buffer): void {
  if (key.length !== TEAM_KEY_BYTES) throw new CoreError('internal', `A team key has ${TEAM_KEY_BYTES} bytes, not ${key.length}.`);
}

function mistyped(why: string, details: Record<string, unknown>): CoreError {
  return new CoreError('sync_team_key_mistyped', `This team key was mistyped: ${why}.`, details);
}

function checkSymbols(key: Buffer): string {
  const hash = createHash('sha256').update('pelote team key check\0').update(key).digest();
  return toBase32(hash).slice(0, CHECK_SYMBOLS);
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET.charAt((value << (5 - bits)) & 31);
  return out;
}

/** The key's bytes, or null when the last symbol's padding bits are not zero (a typo the check could miss). */
function fromBase32(symbols: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const symbol of symbols) {
    value = (value << 5) | ALPHABET.indexOf(symbol);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return value === 0 && out.length === TEAM_KEY_BYTES ? Buffer.from(out) : null;
}
