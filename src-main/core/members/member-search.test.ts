import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEMBER_SORTS, memberSearchSchema } from '../../contract/members';
import type { MemberSearchResult } from '../../contract';
import { fixedClock, tempCore, testPlatform } from '../../testing/temp-core';
import { openCore, type Core } from '../core';
import { PaymentsService } from '../dues/payments-service';
import { searchMembers, type MemberSearchArgs } from './member-search';
import { MembersService } from './members-service';
import { insertCategory, insertPayment, memberInput } from './members-test-fixtures';
import { openDatabase } from '../db/open';

const TODAY = '2026-03-15';
const clock = fixedClock(`${TODAY}T10:00:00.000Z`);
let core: ReturnType<typeof tempCore>;
let members: MembersService;
let ids: Record<string, string>;
let categories: { adhesion: string; reduit: string; honneur: string };

const search = (args: Partial<MemberSearchArgs> = {}, on: Core = core): MemberSearchResult =>
  searchMembers(on, memberSearchSchema.parse(args), TODAY);
const names = (args: Partial<MemberSearchArgs> = {}) => search(args).rows.map((row) => row.displayName);

/**
 * One member per dues status on 2026-03-15, under the default rules (calendar year, 30 days of grace):
 * paid until 2026-12-31 up to date, 2026-03-31 expiring, 2026-02-28 grace, 2025-12-31 late, 2024-12-31 lapsed.
 */
beforeEach(() => {
  core = tempCore({ clock });
  members = new MembersService(core);
  categories = {
    adhesion: insertCategory(core, { name: 'Adhésion' }),
    reduit: insertCategory(core, { name: 'Tarif réduit', fee: 'pay_what_you_want' }),
    honneur: insertCategory(core, { name: "Membre d'honneur", fee: 'exempt' }),
  };
  const add = (key: string, input: Parameters<typeof memberInput>[0], paidUntil?: string) => {
    const { id } = members.create(memberInput(input), { allowDuplicate: false });
    if (paidUntil) insertPayment(core, { memberId: id, periodStart: '2024-01-01', periodEnd: paidUntil });
    ids[key] = id;
  };
  ids = {};
  add('dupont', { number: '1', firstName: 'Hélène', lastName: 'Dupont', email: 'helene.dupont@exemple.fr', city: 'Rennes', categoryId: categories.adhesion }, '2026-12-31');
  add('martin', { number: '2', firstName: 'HÉLÈNE', lastName: 'Martin', email: 'hm@exemple.fr', city: 'Nantes', categoryId: categories.adhesion }, '2025-12-31');
  add('durand', { number: '10', firstName: 'Helena', lastName: 'Durand', email: 'helena@exemple.fr', city: 'Brest', categoryId: categories.reduit }, '2026-03-31');
  add('lefevre', { number: '9', firstName: 'Jean', lastName: 'Lefèvre', email: 'jean@exemple.fr', city: 'Rennes' }, '2024-12-31');
  add('cafe', { number: 'A-1', firstName: '', lastName: '', organisationName: 'Café des Chatons', city: 'Vannes', categoryId: categories.honneur });
  add('petit', { number: '3', firstName: 'Zoé', lastName: 'Petit' });
  add('bernard', { number: '4', firstName: 'Loïc', lastName: 'Bernard', email: 'loic@exemple.fr', city: 'Évreux', categoryId: categories.reduit }, '2026-02-28');
});
afterEach(() => core.cleanup());

describe('search as you type', () => {
  it('ignores case and accents, matches parts of words, and needs every term', () => {
    expect(names({ query: 'Helene' })).toEqual(['Hélène Dupont', 'HÉLÈNE Martin']);
    expect(names({ query: 'HÉLÈNE' })).toEqual(['Hélène Dupont', 'HÉLÈNE Martin']);
    expect(names({ query: 'hel' })).toEqual(['Hélène Dupont', 'Helena Durand', 'HÉLÈNE Martin']);
    expect(names({ query: '  hel   RENNES ' })).toEqual(['Hélène Dupont']);
    expect(names({ query: 'cafe chaton' })).toEqual(['Café des Chatons']);
    expect(names({ query: 'hel brest nantes' })).toEqual([]);
  });

  it('finds members by city, number and email', () => {
    expect(names({ query: 'rennes' })).toEqual(['Hélène Dupont', 'Jean Lefèvre']);
    expect(names({ query: 'evreux' })).toEqual(['Loïc Bernard']);
    expect(names({ query: '10' })).toEqual(['Helena Durand']);
    expect(names({ query: 'a-1' })).toEqual(['Café des Chatons']);
    expect(names({ query: 'dupont@exe' })).toEqual(['Hélène Dupont']);
  });

  it('filters by category and by dues status', () => {
    expect(names({ categoryId: categories.adhesion })).toEqual(['Hélène Dupont', 'HÉLÈNE Martin']);
    expect(names({ statuses: ['late', 'lapsed'] })).toEqual(['Jean Lefèvre', 'HÉLÈNE Martin']);
    expect(names({ statuses: ['exempt', 'never'], query: 'e' })).toEqual(['Café des Chatons', 'Zoé Petit']);
    expect(names({ categoryId: categories.reduit, statuses: ['grace'] })).toEqual(['Loïc Bernard']);
    expect(names({ categoryId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
  });

  it('gives each row its status, paid-until date and category', () => {
    expect(search({ query: 'helene dupont' }).rows).toEqual([
      {
        id: ids.dupont,
        number: '1',
        displayName: 'Hélène Dupont',
        email: 'helene.dupont@exemple.fr',
        city: 'Rennes',
        categoryId: categories.adhesion,
        categoryName: 'Adhésion',
        status: 'up_to_date',
        paidUntil: '2026-12-31',
        deleted: false,
      },
    ]);
    const statuses = Object.fromEntries(search().rows.map((row) => [row.displayName, row.status]));
    expect(statuses).toEqual({
      'Hélène Dupont': 'up_to_date',
      'HÉLÈNE Martin': 'late',
      'Helena Durand': 'expiring',
      'Jean Lefèvre': 'lapsed',
      'Café des Chatons': 'exempt',
      'Zoé Petit': 'never',
      'Loïc Bernard': 'grace',
    });
  });
});

describe('sorting and paging', () => {
  it('sorts by name, then number (naturally), both ways', () => {
    const byName = ['Loïc Bernard', 'Café des Chatons', 'Hélène Dupont', 'Helena Durand', 'Jean Lefèvre', 'HÉLÈNE Martin', 'Zoé Petit'];
    expect(names()).toEqual(byName);
    expect(names({ direction: 'desc' })).toEqual([...byName].reverse());
    const numbers = (direction: 'asc' | 'desc') => search({ sort: 'number', direction }).rows.map((row) => row.number);
    expect(numbers('asc')).toEqual(['1', '2', '3', '4', '9', '10', 'A-1']);
    expect(numbers('desc')).toEqual(['A-1', '10', '9', '4', '3', '2', '1']);
  });

  it('sorts by status from best to worst, names in order within a status', () => {
    members.create(memberInput({ number: '20', firstName: 'Anne', lastName: 'Aubé' }), { allowDuplicate: false });
    expect(names({ sort: 'status' })).toEqual([
      'Café des Chatons',
      'Hélène Dupont',
      'Helena Durand',
      'Loïc Bernard',
      'HÉLÈNE Martin',
      'Jean Lefèvre',
      'Anne Aubé',
      'Zoé Petit',
    ]);
    expect(names({ sort: 'status', direction: 'desc' })).toEqual([
      'Anne Aubé',
      'Zoé Petit',
      'Jean Lefèvre',
      'HÉLÈNE Martin',
      'Loïc Bernard',
      'Helena Durand',
      'Hélène Dupont',
      'Café des Chatons',
    ]);
  });

  it('sorts by city, email, category and paid-until date, empty values last both ways', () => {
    expect(names({ sort: 'city' })).toEqual(['Helena Durand', 'Loïc Bernard', 'HÉLÈNE Martin', 'Hélène Dupont', 'Jean Lefèvre', 'Café des Chatons', 'Zoé Petit']);
    expect(names({ sort: 'city', direction: 'desc' })).toEqual(['Café des Chatons', 'Hélène Dupont', 'Jean Lefèvre', 'HÉLÈNE Martin', 'Loïc Bernard', 'Helena Durand', 'Zoé Petit']);
    expect(names({ sort: 'email' }).slice(0, 2)).toEqual(['Helena Durand', 'Hélène Dupont']);
    expect(names({ sort: 'email' }).slice(-2)).toEqual(['Café des Chatons', 'Zoé Petit']);
    expect(names({ sort: 'category' })).toEqual(['Hélène Dupont', 'HÉLÈNE Martin', 'Café des Chatons', 'Loïc Bernard', 'Helena Durand', 'Jean Lefèvre', 'Zoé Petit']);
    expect(names({ sort: 'paidUntil', direction: 'desc' })).toEqual(['Hélène Dupont', 'Helena Durand', 'Loïc Bernard', 'HÉLÈNE Martin', 'Jean Lefèvre', 'Café des Chatons', 'Zoé Petit']);
  });

  it('pages through the results with the total', () => {
    const page = search({ offset: 2, limit: 2 });
    expect(page.total).toBe(7);
    expect(page.offset).toBe(2);
    expect(page.rows.map((row) => row.displayName)).toEqual(['Hélène Dupont', 'Helena Durand']);
    expect(search({ query: 'hel', offset: 2, limit: 5 })).toMatchObject({ total: 3, rows: [{ displayName: 'HÉLÈNE Martin' }] });
    expect(search({ offset: 10 })).toEqual({ total: 7, offset: 10, rows: [] });
  });

  it('leaves deleted members out unless asked', () => {
    members.delete(ids.bernard ?? '');
    expect(names()).not.toContain('Loïc Bernard');
    const withDeleted = search({ includeDeleted: true, query: 'loic' });
    expect(withDeleted.rows).toMatchObject([{ displayName: 'Loïc Bernard', deleted: true, status: 'grace' }]);
  });
});

describe('the index stays true to the database', () => {
  it('follows the members service and the payments service', () => {
    expect(search({ query: 'lannion' }).total).toBe(0);
    const added = members.create(memberInput({ number: '30', firstName: 'Yann', lastName: 'Le Goff', city: 'Lannion' }), { allowDuplicate: false });
    expect(names({ query: 'lannion' })).toEqual(['Yann Le Goff']);
    members.update(added.id, memberInput({ number: '30', firstName: 'Yann', lastName: 'Le Goff', city: 'Morlaix' }), { allowDuplicate: false });
    expect(names({ query: 'lannion' })).toEqual([]);
    expect(names({ query: 'morlaix' })).toEqual(['Yann Le Goff']);
    expect(search({ query: 'morlaix' }).rows[0]?.status).toBe('never');

    new PaymentsService(core).record({
      memberId: added.id,
      amountCents: 1500,
      paidOn: TODAY,
      method: 'cash',
      reference: '',
      periodStart: null,
      periodEnd: null,
      notes: '',
    });
    expect(search({ query: 'morlaix' }).rows[0]).toMatchObject({ status: 'up_to_date', paidUntil: '2026-12-31' });
    members.erase(added.id);
    expect(names({ query: 'morlaix' })).toEqual([]);
    expect(search({ query: '30' }).rows).toMatchObject([{ number: '30', displayName: '', paidUntil: '2026-12-31' }]);
  });

  it('notices rows written without announcement, and commits by another connection', () => {
    expect(search({ query: 'martin' }).rows[0]?.status).toBe('late');
    insertPayment(core, { memberId: ids.martin ?? '', periodEnd: '2026-12-31' });
    expect(search({ query: 'martin' }).rows[0]?.status).toBe('up_to_date');

    // Another Pelote process (cron's CLI): its own connection, with the functions the sync triggers call.
    const other = openDatabase(core.dbPath);
    other.prepare(`update members set city = 'Quimper', search_text = search_text || ' quimper' where id = ?`).run(ids.petit);
    other.close();
    expect(search({ query: 'quimper' }).rows).toMatchObject([{ displayName: 'Zoé Petit', city: 'Quimper' }]);
  });

  it('after many edits, lists exactly what a fresh index lists, in every order', () => {
    search();
    for (const sort of MEMBER_SORTS) search({ sort, direction: 'desc' });
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      const city = ['Rennes', 'Brest', '', 'Vitré'][i % 4] ?? '';
      const email = i % 3 === 0 ? '' : `m${i}@exemple.fr`;
      created.push(members.create(memberInput({ number: String(100 - i), lastName: `Nom ${i % 5}`, firstName: `P${i}`, city, email }), { allowDuplicate: true }).id);
    }
    members.update(created[0] ?? '', memberInput({ number: '5000', lastName: 'Zola', city: 'Angers' }), { allowDuplicate: true });
    members.update(ids.dupont ?? '', memberInput({ number: '1', firstName: 'Hélène', lastName: 'Aaron', city: 'Rennes', categoryId: categories.adhesion }), { allowDuplicate: true });
    members.delete(created[3] ?? '');
    members.delete(created[4] ?? '');
    members.restore(created[4] ?? '');
    members.erase(created[5] ?? '');
    insertPayment(core, { memberId: created[6] ?? '', periodEnd: '2026-04-10' });

    const fresh = openCore({ dataDir: core.dataDir, platform: testPlatform(), clock });
    try {
      for (const sort of MEMBER_SORTS) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const includeDeleted of [false, true]) {
            const args = { sort, direction, includeDeleted, limit: 1000 };
            expect(search(args).rows, `${sort} ${direction}`).toEqual(search(args, fresh).rows);
          }
        }
      }
    } finally {
      fresh.close();
    }
  });
});
