import { describe, expect, it } from 'vitest';
import { parsePaymentMethod } from './payment-method';

describe('parsePaymentMethod', () => {
  it.each([
    ['Espèces', 'cash'],
    ['Chèque', 'cheque'],
    ['CHQ', 'cheque'],
    ['Virement bancaire', 'transfer'],
    ['Carte bancaire', 'card'],
    ['CB', 'card'],
    ['HelloAsso', 'helloasso'],
    ['Troc', 'other'],
    [null, 'other'],
  ] as const)('reads %j as %s outside HelloAsso', (raw, method) => {
    expect(parsePaymentMethod(raw, false)).toBe(method);
  });

  it.each([
    ['Carte bancaire', 'helloasso'],
    ['Prélèvement SEPA', 'helloasso'],
    [null, 'helloasso'],
    ['Chèque', 'cheque'],
    ['Virement bancaire', 'transfer'],
    ['Espèces', 'cash'],
  ] as const)('reads %j as %s in a HelloAsso export', (raw, method) => {
    expect(parsePaymentMethod(raw, true)).toBe(method);
  });
});
