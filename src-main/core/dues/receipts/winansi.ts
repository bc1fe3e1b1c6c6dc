// pdf-lib's standard fonts throw on any character outside WinAnsi (Windows-1252). Member names come from
// imports and forms, so anything can show up; degrade gracefully instead of failing the whole receipt.

/** Letters with no Unicode decomposition, and spaces/dashes WinAnsi lacks. */
const FALLBACKS: Record<string, string> = {
  'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'Ŧ': 'T', 'ŧ': 't',
  '\u202f': '\u00a0', '\u2007': '\u00a0', '\u2011': '-', '\u2010': '-', '\u2212': '-',
};

export const REPLACEMENT = '?';

/**
 * Makes `text` drawable with a font supporting the code points in `supported`: keeps what the font has,
 * strips accents it lacks ("ș" → "s"), turns whitespace into spaces, drops invisible joiners and stray
 * combining marks, and replaces the rest (emoji, CJK…) with one "?" per character.
 */
export function toSupportedText(text: string, supported: ReadonlySet<number>): string {
  const has = (s: string): boolean => Array.from(s).every((c) => supported.has(c.codePointAt(0) ?? -1));
  let out = '';
  for (const char of text.normalize('NFC')) {
    const fallback = FALLBACKS[char];
    const stripped = char.normalize('NFD').replace(/\p{M}/gu, '');
    if (has(char)) out += char;
    else if (fallback !== undefined && has(fallback)) out += fallback;
    else if (/\s/u.test(char)) out += ' ';
    else if (/[\p{M}\p{Cf}\p{Cc}]/u.test(char)) continue;
    else if (stripped !== '' && has(stripped)) out += stripped;
    else out += REPLACEMENT;
  }
  return out;
}
