import { ImportError } from './import-error';
import type { DetectedEncoding } from './types';
import { decodeWindows1252 } from './windows-1252';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Signatures of files people pick by mistake: the UI can say "this is an Excel file, save it as CSV". */
const SIGNATURES: ReadonlyArray<readonly [kind: string, bytes: readonly number[]]> = [
  ['png', [0x89, 0x50, 0x4e, 0x47]],
  ['pdf', [0x25, 0x50, 0x44, 0x46]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]], // also .xlsx and .ods
  ['xls', [0xd0, 0xcf, 0x11, 0xe0]],
  ['utf-16', [0xff, 0xfe]],
  ['utf-16', [0xfe, 0xff]],
];

const SNIFF_BYTES = 65_536;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Text files never hold NUL, and spreadsheets never write other C0 controls than tab and line breaks. */
function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  return controls > end / 100;
}

/**
 * Streaming mode holds back a character cut at the very end instead of failing on it: a UTF-8 file that was
 * truncated stays UTF-8 (and is reported as truncated) rather than turning into Windows-1252 mojibake.
 */
function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

/** Valid UTF-8 is UTF-8 (with or without BOM); anything else is what Excel saves on Windows. */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: DetectedEncoding } {
  const signature = SIGNATURES.find(([, prefix]) => startsWith(bytes, prefix));
  if (signature) throw new ImportError('import_binary', { kind: signature[0] });
  if (looksBinary(bytes)) throw new ImportError('import_binary', { kind: 'unknown' });

  const bom = startsWith(bytes, UTF8_BOM);
  const body = bom ? bytes.subarray(UTF8_BOM.length) : bytes;
  const asUtf8 = tryUtf8(body);
  const decoded: { text: string; encoding: DetectedEncoding } =
    asUtf8 !== null
      ? { text: asUtf8, encoding: bom ? 'utf-8-bom' : 'utf-8' }
      : { text: decodeWindows1252(body), encoding: 'windows-1252' };
  if (decoded.text.trim() === '') throw new ImportError('import_empty');
  return decoded;
}
