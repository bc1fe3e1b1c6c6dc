// Windows-1252 is Latin-1 except for 0x80–0x9F. Node 20.18.3+ (and some later majors) decode the
// 'windows-1252' label with the Latin-1 fast path, turning € ’ œ into C1 controls (nodejs/node#56542, #60888);
// the table puts them back whichever Node runs us. The five unassigned bytes map to themselves, as in WHATWG.
export const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const decoder = new TextDecoder('windows-1252');

export function decodeWindows1252(bytes: Uint8Array): string {
  return decoder
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}
