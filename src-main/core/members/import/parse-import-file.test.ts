import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_MAPPING, EXPECTED } from './fixtures/expected';
import { ENCODINGS, FIXTURES_DIR, SEPARATORS, SOURCES, variantPath } from './fixtures/generate';
import { ImportError } from './import-error';
import { parseImportFile, previewColumns } from './parse-import-file';
import type { ImportFormat, ImportOptions } from './types';

const fixture = (path: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, path)));
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

const VARIANTS = (Object.keys(SOURCES) as ImportFormat[]).flatMap((format) =>
  ENCODINGS.flatMap((encoding) =>
    (Object.keys(SEPARATORS) as Array<keyof typeof SEPARATORS>).map((separator) => ({ format, encoding, separator })),
  ),
);

describe('parseImportFile on every format × encoding × separator', () => {
  it.each(VARIANTS)('$format, $encoding, $separator', ({ format, encoding, separator }) => {
    const options: ImportOptions = format === 'csv' ? { mapping: CSV_MAPPING } : {};
    const result = parseImportFile(fixture(variantPath(format, encoding, separator)), options);
    expect(result).toEqual({ format, encoding, separator: SEPARATORS[separator], ...EXPECTED[format] });
  });

  it("reads Galette's import file by its labels when it keeps its header row", () => {
    const labels =
      'Nom :;Prénom :;Date de naissance :;Adresse :;Code Postal :;Ville :;Pays :;Tél :;GSM :;Courriel :;Site Web :;Profession :;Pseudo :;Société :;Identifiant :;Date de création :;Statut :;Autres informations :;Autres informations (admin) :\n';
    const template = readFileSync(join(FIXTURES_DIR, 'source/galette-template.csv'), 'utf8');
    const result = parseImportFile(utf8(labels + template));
    expect(result.format).toBe('galette');
    expect(result.rows).toEqual(EXPECTED['galette-template'].rows.map((row) => ({ ...row, line: row.line + 1 })));
  });

  it('reads the template when asked to, as when it recognises it', () => {
    const bytes = fixture(variantPath('galette-template', 'windows-1252', 'semicolon'));
    expect(parseImportFile(bytes, { format: 'galette-template' })).toEqual(parseImportFile(bytes));
  });
});

describe('parseImportFile on broken files', () => {
  it.each([
    ['empty.csv', 'import_empty', {}],
    ['binary.png', 'import_binary', { kind: 'png' }],
    ['wrong-columns.csv', 'import_missing_columns', { columns: ['Nom adhérent', 'Prénom adhérent'] }],
    ['truncated-quote.csv', 'import_truncated', { line: 4 }],
    ['truncated-row.csv', 'import_truncated', { line: 3 }],
    ['unknown-format.csv', 'import_unknown_format', { headers: ['Produit', 'Quantité', 'Prix unitaire'] }],
  ])('%s → %s', (file, code, params) => {
    const error = importErrorOf(() => parseImportFile(fixture(`failures/${file}`)));
    expect({ code: error.code, params: error.params }).toEqual({ code, params });
  });

  it('rejects a header with no data under it as empty', () => {
    const error = importErrorOf(() => parseImportFile(utf8('Numéro de membre;Nom & prénom\r\n;\r\n')));
    expect(error.code).toBe('import_empty');
  });

  it('names the missing columns when a format is forced onto the wrong file', () => {
    const error = importErrorOf(() => parseImportFile(fixture('failures/unknown-format.csv'), { format: 'galette' }));
    expect(error.params).toEqual({ columns: ['Nom'] });
  });

  it('keeps the other records when one has the wrong number of cells', () => {
    const text = 'Nom :;Prénom :;Statut :;Date de création :\nDurand;Léa;Membre actif;01/09/2025\nMartin;Paul\nRoux;Théo;Membre actif;02/09/2025\n';
    const { rows, errors } = parseImportFile(utf8(text));
    expect(rows.map((r) => r.member.lastName)).toEqual(['Durand', 'Roux']);
    expect(errors).toEqual([{ line: 3, code: 'column_count', params: { expected: 4, actual: 2 } }]);
  });
});

describe('parseImportFile per-record errors', () => {
  const header =
    'Référence commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;Nom payeur;Prénom payeur;Email payeur;Moyen de paiement;Tarif;Montant tarif';
  const parse = (...lines: string[]) => parseImportFile(utf8([header, ...lines].join('\n')));

  it('reports each bad cell with its column and value, and leaves the record out', () => {
    const { rows, errors } = parse(
      '1;31/02/2025;Validé;Durand;Léa;Durand;Léa;lea@example.org;Carte bancaire;Adhésion;12,50 €',
      '2;01/09/2025;Validé;Martin;Paul;Martin;Paul;paul@;Carte bancaire;Adhésion;douze euros',
      '3;01/09/2025;Validé;;;;;x@example.org;Carte bancaire;Adhésion;12,50 €',
      '4;;Validé;Roux;Théo;Roux;Théo;theo@example.org;Carte bancaire;Adhésion;12,50 €',
      '5;02/03/2025;Validé;Petit;Noé;Petit;Noé;noe@example.org;Carte bancaire;Adhésion;5',
    );
    expect(errors).toEqual([
      { line: 2, code: 'invalid_date', params: { column: 'Date de la commande', value: '31/02/2025' } },
      { line: 3, code: 'invalid_email', params: { column: 'Email payeur', value: 'paul@' } },
      { line: 3, code: 'invalid_amount', params: { column: 'Montant tarif', value: 'douze euros' } },
      { line: 4, code: 'missing_name', params: { column: 'Nom adhérent', value: '' } },
      { line: 5, code: 'missing_date', params: { column: 'Date de la commande', value: '' } },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 6, payment: { amountCents: 500, date: '2025-03-02' } });
  });

  it("uses the payer's e-mail only when the payer is the member", () => {
    const { rows } = parse(
      '1;01/09/2025;Validé;Durand;Léa;Durand;Marc;marc@example.org;Carte bancaire;Adhésion;12,50 €',
      '2;01/09/2025;Validé;Martin;Paul;MARTIN;Paul;paul@example.org;Carte bancaire;Adhésion;12,50 €',
    );
    expect(rows.map((r) => [r.member.email, r.payment?.payerName])).toEqual([
      [null, 'Marc Durand'],
      ['paul@example.org', null],
    ]);
  });
});

describe('header matching', () => {
  it('ignores case, accents, apostrophe style and surrounding spaces', () => {
    const text = [
      '  RÉFÉRENCE COMMANDE ;date de la commande;Nom Adherent;PRÉNOM ADHÉRENT ;Montant  tarif; E-MAIL ',
      '7;01/09/2025 14:32;Dupré;Zoë;1 234,00 €;zoe@example.net',
    ].join('\r\n');
    const result = parseImportFile(utf8(text));
    expect(result.format).toBe('helloasso-members');
    expect(result.rows[0]).toMatchObject({
      member: { lastName: 'Dupré', firstName: 'Zoë', email: 'zoe@example.net' },
      payment: { amountCents: 123400, date: '2025-09-01', reference: '7' },
    });
  });

  it('finds Paheko columns whatever apostrophe the header uses', () => {
    for (const apostrophe of ["'", '\u2019', '\u02bc']) {
      const text = `Numéro de membre,Nom & prénom,Date d${apostrophe}inscription,Inscription à la lettre d${apostrophe}information\n1,Zoë,02/03/2025,Oui\n`;
      expect(parseImportFile(utf8(text)).rows[0]?.member).toMatchObject({ joinedOn: '2025-03-02', newsletterConsent: true });
    }
  });
});

describe('the generic format', () => {
  const bytes = fixture(variantPath('csv', 'utf-8', 'comma'));

  it('needs a mapping', () => {
    expect(importErrorOf(() => parseImportFile(bytes, { format: 'csv' })).code).toBe('import_mapping_required');
  });

  it('refuses unknown fields and columns outside the file', () => {
    const error = (mapping: Record<string, number>) => importErrorOf(() => parseImportFile(bytes, { mapping })).params;
    expect(error({ lastName: 2, shoeSize: 3 })).toEqual({ field: 'shoeSize' });
    expect(error({ lastName: 20 })).toEqual({ field: 'lastName' });
    expect(error({ lastName: -1 })).toEqual({ field: 'lastName' });
  });

  it('needs a way to name members, and a date for amounts', () => {
    const error = (mapping: Record<string, number>) => importErrorOf(() => parseImportFile(bytes, { mapping })).params;
    expect(error({ email: 4 })).toEqual({ columns: ['lastName'] });
    expect(error({ lastName: 2, amount: 16 })).toEqual({ columns: ['paymentDate'] });
  });
});

describe('previewColumns', () => {
  it('returns the header and the first records as read, for the mapping step', () => {
    const preview = previewColumns(fixture(variantPath('csv', 'windows-1252', 'tab')));
    expect(preview).toMatchObject({ encoding: 'windows-1252', separator: '\t', detectedFormat: null });
    expect(preview.header.slice(0, 3)).toEqual(['N°', 'Prénom', 'Nom']);
    expect(preview.sample).toHaveLength(4);
    expect(preview.sample[1]?.slice(1, 3)).toEqual(['Françoise', 'D’Arcy']);
    expect(preview.sample[1]?.[6]).toBe('Le Moulin\nChemin des Œillets');
  });

  it('says which format it recognised', () => {
    const detected = (path: string) => previewColumns(fixture(path)).detectedFormat;
    expect(detected(variantPath('helloasso-payments', 'utf-8', 'comma'))).toBe('helloasso-payments');
    expect(detected(variantPath('galette-template', 'utf-8-bom', 'tab'))).toBe('galette-template');
  });

  it('fails like the import does on unreadable files', () => {
    expect(importErrorOf(() => previewColumns(fixture('failures/binary.png'))).code).toBe('import_binary');
  });
});
