import { describe, expect, it } from 'vitest';
import type { Category } from '../../../src-main/contract';
import { centsToInput, draftFromCategory, emptyDraft, readDraft } from './category-draft';

const draft = (overrides: Partial<ReturnType<typeof emptyDraft>>) => ({ ...emptyDraft(), name: 'Individuelle', amount: '12,50', ...overrides });

describe('readDraft', () => {
  it('builds a fixed fee with the association rules', () => {
    expect(readDraft(draft({}))).toEqual({
      input: { name: 'Individuelle', fee: { kind: 'fixed', amountCents: 1250 }, period: null, graceDays: null },
      errors: {},
    });
  });

  it('builds overrides: rolling months and grace days', () => {
    const { input } = readDraft(draft({ periodKind: 'rolling_months', months: ' 6 ', graceDays: '15' }));
    expect(input?.period).toEqual({ kind: 'rolling_months', months: 6 });
    expect(input?.graceDays).toBe(15);
    expect(readDraft(draft({ periodKind: 'fiscal_year' })).input?.period).toEqual({ kind: 'fiscal_year' });
  });

  it('reads pay-what-you-want with or without a minimum, and exempt without an amount', () => {
    expect(readDraft(draft({ feeKind: 'pay_what_you_want', amount: '' })).input?.fee).toEqual({ kind: 'pay_what_you_want', minimumCents: 0 });
    expect(readDraft(draft({ feeKind: 'pay_what_you_want', amount: '5' })).input?.fee).toEqual({ kind: 'pay_what_you_want', minimumCents: 500 });
    expect(readDraft(draft({ feeKind: 'exempt', amount: 'ignored' })).input?.fee).toEqual({ kind: 'exempt' });
  });

  it('names every field to fix', () => {
    expect(readDraft(draft({ name: '  ', amount: '0', periodKind: 'rolling_months', months: '0', graceDays: '400' }))).toEqual({
      input: null,
      errors: { name: 'required', amount: true, months: true, graceDays: true },
    });
    expect(readDraft(draft({ amount: '' })).errors).toEqual({ amount: true });
    expect(readDraft(draft({ graceDays: '-1' })).errors).toEqual({ graceDays: true });
    expect(readDraft(draft({ name: 'x'.repeat(121) })).errors).toEqual({ name: 'tooLong' });
  });
});

describe('draftFromCategory', () => {
  const category: Category = {
    id: '00000000-0000-4000-8000-000000000000',
    name: 'Solidaire',
    fee: { kind: 'pay_what_you_want', minimumCents: 250 },
    period: { kind: 'rolling_months', months: 6 },
    graceDays: 0,
    memberCount: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
  };

  it('round-trips a category through the form', () => {
    const { input } = readDraft(draftFromCategory(category, 'fr'));
    expect(input).toEqual({ name: category.name, fee: category.fee, period: category.period, graceDays: category.graceDays });
    expect(draftFromCategory(category, 'fr').amount).toBe('2,50');
    expect(draftFromCategory({ ...category, period: null, graceDays: null }, 'en')).toMatchObject({ periodKind: 'association', graceDays: '' });
  });
});

describe('centsToInput', () => {
  it('writes the decimal mark of the language, always with two decimals', () => {
    expect(centsToInput(1205, 'fr')).toBe('12,05');
    expect(centsToInput(1205, 'en-GB')).toBe('12.05');
    expect(centsToInput(5, 'fr')).toBe('0,05');
  });
});
