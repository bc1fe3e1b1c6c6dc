import { describe, expect, it } from 'vitest';
import { MAPPABLE_FIELDS } from '../../../src-main/contract/transfer';
import { FIELD_GROUPS, columnLetter, guessMapping, hasNameColumn } from './import-mapping';

const FRENCH: Record<string, string> = { firstName: 'Prénom', lastName: 'Nom', email: 'E-mail', city: 'Ville', amount: 'Montant' };
const label = (field: string) => FRENCH[field] ?? field;

describe('guessMapping', () => {
  it('maps headers that read like a label or a field name, whatever their case and accents', () => {
    expect(guessMapping({ header: ['N°', 'PRENOM', 'nom', 'e-mail', 'Code', 'City', 'Montant :'] }, label)).toEqual({
      firstName: 1,
      lastName: 2,
      email: 3,
      city: 5,
      amount: 6,
    });
  });

  it('never maps one column twice and leaves unknown columns alone', () => {
    expect(guessMapping({ header: ['Produit', 'Quantité'] }, label)).toEqual({});
    // Both labels read "Nom": the first field in MAPPABLE_FIELDS order (firstName) takes the column.
    expect(guessMapping({ header: ['Nom'] }, (field) => (field === 'firstName' || field === 'lastName' ? 'Nom' : field))).toEqual({
      firstName: 0,
    });
  });
});

describe('columnLetter', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('FIELD_GROUPS', () => {
  it('puts every mappable field in exactly one group', () => {
    expect([...FIELD_GROUPS.member, ...FIELD_GROUPS.payment].sort()).toEqual([...MAPPABLE_FIELDS].sort());
    expect(FIELD_GROUPS.payment).toContain('amount');
    expect(FIELD_GROUPS.member).toContain('email');
  });
});

describe('hasNameColumn', () => {
  it('asks for a last name, a first name, a full name or an organisation', () => {
    expect(hasNameColumn({})).toBe(false);
    expect(hasNameColumn({ email: 0, payerLastName: 1 })).toBe(false);
    for (const field of ['lastName', 'firstName', 'fullName', 'organisationName'] as const) expect(hasNameColumn({ [field]: 2 })).toBe(true);
  });
});
