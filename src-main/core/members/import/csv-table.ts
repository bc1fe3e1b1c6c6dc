import { CsvError, parse, type Info } from 'csv-parse/sync';
import { decodeBytes } from './decode';
import { ImportError } from './import-error';
import type { DetectedEncoding, Separator } from './types';

export interface CsvRecord {
  /** 1-based line where the record starts (a quoted cell may span several lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  encoding: DetectedEncoding;
  separator: Separator;
  records: CsvRecord[];
}

const SEPARATORS: readonly Separator[] = [';', '\t', ','];

/**
 * The separator used most in the first record, outside quotes. Ties go to ';' then tab: French files use
 * ',' for decimals, so a stray comma is likelier than a stray semicolon.
 */
export function detectSeparator(text: string): Separator {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Separator = ';';
  for (const separator of SEPARATORS) {
    if ((counts.get(separator) ?? 0) > (counts.get(best) ?? 0)) best = separator;
  }
  return best;
}

const LINE_BREAK = /\r\n|\r|\n/g;

function countLineBreaks(cells: readonly string[]): number {
  return cells.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);
}

/** Cells keep '\n' only, whatever the file used; most hold none, and skipping them keeps big files fast. */
function withUnixLineBreaks(cell: string): string {
  return cell.includes('\r') ? cell.replace(LINE_BREAK, '\n') : cell;
}

/** Offsets of the last byte of each line break (the \n of a \r\n), in order. */
function lineBreakEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) ends.push(i);
  }
  return ends;
}

/** 1-based line holding the byte at `offset`: one more than the line breaks ending before it. */
function lineAt(breakEnds: readonly number[], offset: number): number {
  let low = 0;
  let high = breakEnds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((breakEnds[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}

/**
 * Records with their start line; rows of empty cells (Excel's blank lines) are dropped.
 * csv-parse's own line count takes a \r\n inside quotes for two lines, so lines come from its byte
 * offsets instead: info.bytes is the end of the record, in UTF-8 bytes.
 */
export function parseRecords(text: string, separator: Separator): CsvRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  const breakEnds = lineBreakEnds(bytes);
  let parsed: Array<{ record: string[]; info: Info }>;
  try {
    parsed = parse(bytes, {
      delimiter: separator,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof parsed; // csv-parse's typings ignore the `info` option's record shape
  } catch (error) {
    // Relaxed, the parse only fails on a quote left open: the file was cut short at its last line.
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new ImportError('import_truncated', { line: lineAt(breakEnds, bytes.length - 1) });
    }
    throw error;
  }
  return parsed
    .filter(({ record }) => record.some((cell) => cell.trim() !== ''))
    .map(({ record, info }) => ({
      line: lineAt(breakEnds, info.bytes - 1) - countLineBreaks(record),
      cells: record.map(withUnixLineBreaks),
    }));
}

/** Throws ImportError for an empty, binary or truncated file. */
export function readTable(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeBytes(bytes);
  const separator = detectSeparator(text);
  const records = parseRecords(text, separator);
  if (records.length === 0) throw new ImportError('import_empty');
  return { encoding, separator, records };
}
