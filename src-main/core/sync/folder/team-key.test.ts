import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTeamKey, generateTeamKey, keyId, parseTeamKey, subkey, type KeyPurpose } from './team-key';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));

function mistypedReason(text: string): string {
  try {
    parseTeamKey(text);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('sync_team_key_mistyped');
    return String((err as { details?: { reason?: unknown } }).details?.reason);
  }
  return 'accepted';
}

describe('team key sheet text', () => {
  it('is 14 groups of four symbols that cannot be misread, and reads back to the same key', () => {
    const key = generateTeamKey();
    const text = formatTeamKey(key);
    expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4} ){13}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseTeamKey(text).equals(key)).toBe(true);
  });

  it('reads back any key, however spaced, dashed or cased', () => {
    fc.assert(
      fc.property(keyArb, fc.constantFrom(' ', '-', '', '  ', '\n', ' – '), fc.boolean(), (key, separator, lower) => {
        const text = formatTeamKey(key).split(' ').join(separator);
        expect(parseTeamKey(lower ? text.toLowerCase() : text).equals(key)).toBe(true);
      }),
    );
  });

  it('accepts O for 0 and I or L for 1', () => {
    const key = Buffer.alloc(32, 0x08); // 00001000...: both 0s and 1s in base32
    const text = formatTeamKey(key);
    expect(text).toMatch(/0/);
    expect(text).toMatch(/1/);
    const misread = text.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 === 0 ? 'I' : 'l'));
    expect(parseTeamKey(misread).equals(key)).toBe(true);
  });

  it('catches every single mistyped symbol and every swap of two neighbours', () => {
    fc.assert(
      fc.property(keyArb, fc.nat(55), fc.nat(30), (key, position, shift) => {
        const symbols = formatTeamKey(key).replace(/ /g, '');
        const original = symbols.charAt(position);
        const typo = ALPHABET.charAt((ALPHABET.indexOf(original) + 1 + shift) % 32);
        expect(mistypedReason(symbols.slice(0, position) + typo + symbols.slice(position + 1))).not.toBe('accepted');
        const next = symbols.charAt(position + 1);
        if (position < 55 && next !== original) {
          const swapped = symbols.slice(0, position) + next + original + symbols.slice(position + 2);
          expect(mistypedReason(swapped)).not.toBe('accepted');
        }
      }),
    );
  });

  it('says what is wrong: a missing or extra symbol, a letter keys never hold, a wrong check', () => {
    const text = formatTeamKey(generateTeamKey()).replace(/ /g, '');
    expect(mistypedReason(text.slice(1))).toBe('length');
    expect(mistypedReason(`${text}A`)).toBe('length');
    expect(mistypedReason('')).toBe('length');
    expect(mistypedReason(`U${text.slice(1)}`)).toBe('character');
    expect(mistypedReason(`${text.slice(0, 10)}*${text.slice(11)}`)).toBe('character');
    const check = text.slice(52);
    const otherCheck = check.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(mistypedReason(text.slice(0, 52) + otherCheck)).toBe('checksum');
  });
});

describe('key id and subkeys', () => {
  it('names the key by 8 bytes of HMAC-SHA256(key, "pelote team key id")', () => {
    const key = generateTeamKey();
    const expected = createHmac('sha256', key).update('pelote team key id').digest('hex').slice(0, 16);
    expect(keyId(key)).toBe(expected);
    expect(keyId(generateTeamKey())).not.toBe(expected);
  });

  it('derives a different 32-byte key for each purpose, none equal to the team key', () => {
    const key = generateTeamKey();
    const purposes: KeyPurpose[] = ['check', 'segment', 'head', 'snapshot', 'lease'];
    const keys = purposes.map((purpose) => subkey(key, purpose).toString('hex'));
    expect(new Set([...keys, key.toString('hex')]).size).toBe(purposes.length + 1);
    expect(subkey(key, 'segment').length).toBe(32);
    expect(subkey(key, 'segment').equals(subkey(Buffer.from(key), 'segment'))).toBe(true);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => keyId(Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'internal' }) as Error);
  });
});
