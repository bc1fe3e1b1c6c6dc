import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode';
import { ImportError } from './import-error';

const utf8 = (text: string) => new TextEncoder().encode(text);

function importErrorOf(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('decodeBytes', () => {
  it('reads valid UTF-8 as UTF-8, with or without BOM', () => {
    expect(decodeBytes(utf8('Hélène;Zoë'))).toEqual({ text: 'Hélène;Zoë', encoding: 'utf-8' });
    expect(decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('Œuvre')]))).toEqual({
      text: 'Œuvre',
      encoding: 'utf-8-bom',
    });
  });

  it('reads anything else as Windows-1252, including € ’ œ in 0x80–0x9F', () => {
    // "D’Arcy;12,50 €;Cœur;é" as Excel saves it
    const bytes = Uint8Array.from([0x44, 0x92, 0x41, 0x72, 0x63, 0x79, 0x3b, 0x31, 0x32, 0x2c, 0x35, 0x30, 0xa0, 0x80, 0x3b, 0x43, 0x9c, 0x75, 0x72, 0x3b, 0xe9]);
    expect(decodeBytes(bytes)).toEqual({ text: 'D\u2019Arcy;12,50\u00a0€;Cœur;é', encoding: 'windows-1252' });
  });

  it('keeps a UTF-8 file cut inside a character as UTF-8', () => {
    const cut = utf8('Nom;Ville\nZoë;Brest;Œ').slice(0, -1);
    expect(decodeBytes(cut)).toEqual({ text: 'Nom;Ville\nZoë;Brest;', encoding: 'utf-8' });
  });

  it('rejects empty and blank files', () => {
    expect(importErrorOf(() => decodeBytes(new Uint8Array())).code).toBe('import_empty');
    expect(importErrorOf(() => decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf]))).code).toBe('import_empty');
    expect(importErrorOf(() => decodeBytes(utf8(' \r\n\r\n'))).code).toBe('import_empty');
  });

  it('rejects binary files, naming the kinds people pick by mistake', () => {
    const kind = (bytes: number[]) => importErrorOf(() => decodeBytes(Uint8Array.from(bytes))).params;
    expect(kind([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])).toEqual({ kind: 'png' });
    expect(kind([0x50, 0x4b, 0x03, 0x04, 0x14, 0])).toEqual({ kind: 'zip' });
    expect(kind([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])).toEqual({ kind: 'xls' });
    expect(kind([0xff, 0xfe, 0x4e, 0x00])).toEqual({ kind: 'utf-16' });
    expect(kind([0x4e, 0x6f, 0x6d, 0x00, 0x3b])).toEqual({ kind: 'unknown' });
  });
});
