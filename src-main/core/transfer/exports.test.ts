import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FilePayload } from '../../contract/fields';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import { parseImportFile } from '../members/import';

let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

async function call<T>(method: string, args: unknown): Promise<T> {
  const result = await dispatch(createHandlers(core), method, args);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const fixture = readFileSync(join(__dirname, '../members/import/fixtures/variants/galette.windows-1252.semicolon.csv'));

async function seeded() {
  core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
  await call('imports.commit', { fileName: 'galette.csv', base64: fixture.toString('base64') });
}

const text = (file: FilePayload) => Buffer.from(file.base64, 'base64');

describe('CSV exports', () => {
  it('writes members for Excel: UTF-8 BOM, semicolons, French dates, accents intact', async () => {
    await seeded();
    const file = await call<FilePayload>('exports.csv', { kind: 'members' });
    expect(file.fileName).toBe('adherents-2026-01-15.csv');
    const bytes = text(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]?.split(';').slice(0, 3)).toEqual(['Numéro', 'Nom', 'Prénom']);
    const helene = lines.find((l) => l.includes('Hélène'));
    expect(helene).toContain('Dupré-Lefèvre');
    expect(helene).toContain('01/09/2025');
    // A multi-line address stays one quoted cell.
    expect(bytes.toString('utf8')).toContain('"Le Moulin\nChemin des Œillets"');
  });

  it('writes a Paheko CSV that Paheko (and our own Paheko reader) maps without help', async () => {
    await seeded();
    const file = await call<FilePayload>('exports.csv', { kind: 'paheko' });
    const parsed = parseImportFile(text(file));
    expect(parsed.format).toBe('paheko');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.member.email)).toContain('helene.dupre@example.org');
    expect(parsed.rows.find((r) => r.member.memberNumber === '12')?.member.joinedOn).toBe('2025-09-01');
  });

  it('writes payments with decimal commas and reversals as negative lines', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    await call('imports.commit', {
      fileName: 'p.csv',
      base64: readFileSync(join(__dirname, '../members/import/fixtures/variants/helloasso-payments.utf-8.semicolon.csv')).toString('base64'),
    });
    const paymentId = core.db.prepare('select id from payments where amount_cents = 123400').pluck().get() as string;
    await call('payments.reverse', { paymentId, reason: 'Chèque sans provision' });
    const csv = text(await call<FilePayload>('exports.csv', { kind: 'payments' })).toString('utf8');
    expect(csv).toContain(';"1234,00";chèque;');
    expect(csv).toContain(';"-1234,00";chèque;');
    expect(csv).toContain('Chèque sans provision');
  });
});
