import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuplicateMatch } from '../../contract';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { dispatch } from '../dispatch';
import { CoreError } from '../errors';
import { createHandlers } from '../handlers';
import { MembersService } from './members-service';
import { insertCategory, insertPayment, insertReversal, memberInput } from './members-test-fixtures';

const clock = fixedClock('2026-03-15T10:00:00.000Z');
let core: ReturnType<typeof tempCore>;
let members: MembersService;

beforeEach(() => {
  clock.set('2026-03-15T10:00:00.000Z');
  core = tempCore({ clock });
  members = new MembersService(core);
});
afterEach(() => core.cleanup());

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreError) return error.code;
    throw error;
  }
  return undefined;
};

const auditOf = (id: string) => core.audit.list({ entity: 'member', entityId: id });
const count = (table: string) => core.db.prepare(`select count(*) from ${table}`).pluck().get() as number;
const sabotageAudit = () =>
  core.db.exec(`create trigger sabotage before insert on audit_log begin select raise(abort, 'audit sabotaged'); end`);

describe('creating and editing members', () => {
  it('stores the member with accent-, case- and ligature-free search columns', () => {
    const member = members.create(
      memberInput({ firstName: 'Hélène', lastName: 'Lefèvre-Dubœuf', email: 'Helene@Exemple.FR', city: 'Saint-Étienne', number: 'A-12' }),
      { allowDuplicate: false },
    );
    expect(member).toMatchObject({ firstName: 'Hélène', lastName: 'Lefèvre-Dubœuf', email: 'Helene@Exemple.FR', deletedAt: null, erasedAt: null });
    expect(members.get(member.id)).toEqual(member);
    const row = core.db.prepare('select search_text, sort_name from members where id = ?').get(member.id);
    expect(row).toEqual({
      search_text: 'a-12 helene lefevre-duboeuf helene@exemple.fr saint-etienne',
      sort_name: 'lefevre-duboeuf helene',
    });
  });

  it('unifies apostrophes and sorts an organisation by its name', () => {
    const member = members.create(memberInput({ firstName: '', lastName: '', organisationName: 'Les Amis d’Œdipe' }), { allowDuplicate: false });
    const row = core.db.prepare('select search_text, sort_name from members where id = ?').get(member.id);
    expect(row).toEqual({ search_text: "1 les amis d'oedipe", sort_name: "les amis d'oedipe" });
  });

  it('audits a creation with every field and tells the lists', () => {
    const events: unknown[] = [];
    core.events.onAny((name, payload) => events.push({ name, payload }));
    const member = members.create(memberInput({ email: 'camille@exemple.fr' }), { allowDuplicate: false });
    const [entry, ...others] = auditOf(member.id);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ entity: 'member', action: 'create' });
    expect(Object.keys(entry?.changes ?? {})).toEqual(Object.keys(memberInput()));
    expect(entry?.changes.email).toEqual({ from: null, to: 'camille@exemple.fr' });
    expect(events).toEqual([{ name: 'members.changed', payload: { ids: [member.id] } }]);
  });

  it('audits an edit with only the changed fields, and writes nothing when nothing changed', () => {
    const member = members.create(memberInput(), { allowDuplicate: false });
    clock.set('2026-03-16T10:00:00.000Z');
    const edited = members.update(member.id, memberInput({ city: 'Rennes', phone: '02 99 00 00 00' }), { allowDuplicate: false });
    expect(edited).toMatchObject({ city: 'Rennes', phone: '02 99 00 00 00', updatedAt: '2026-03-16T10:00:00.000Z' });
    expect(auditOf(member.id).at(-1)).toMatchObject({
      action: 'update',
      changes: { city: { from: '', to: 'Rennes' }, phone: { from: '', to: '02 99 00 00 00' } },
    });
    expect(Object.keys(auditOf(member.id).at(-1)?.changes ?? {})).toEqual(['phone', 'city']);

    clock.set('2026-03-17T10:00:00.000Z');
    expect(members.update(member.id, memberInput({ city: 'Rennes', phone: '02 99 00 00 00' }), { allowDuplicate: false })).toEqual(edited);
    expect(auditOf(member.id)).toHaveLength(2);
  });

  it('writes a member and its audit entry together or not at all', () => {
    const member = members.create(memberInput(), { allowDuplicate: false });
    insertPayment(core, { memberId: member.id, periodEnd: '2026-12-31', payerName: 'Camille Martin' });
    sabotageAudit();
    expect(() => members.create(memberInput({ number: '2', lastName: 'Durand' }), { allowDuplicate: false })).toThrow('audit sabotaged');
    expect(() => members.update(member.id, memberInput({ city: 'Brest' }), { allowDuplicate: false })).toThrow('audit sabotaged');
    expect(() => members.delete(member.id)).toThrow('audit sabotaged');
    expect(() => members.erase(member.id)).toThrow('audit sabotaged');
    expect(count('members')).toBe(1);
    expect(members.get(member.id)).toMatchObject({ city: '', deletedAt: null, erasedAt: null, lastName: 'Martin' });
    expect(core.db.prepare('select payer_name from payments').pluck().get()).toBe('Camille Martin');
  });

  it('refuses missing and erased members, and unknown or deleted categories', () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(codeOf(() => members.get(missing))).toBe('member_not_found');
    expect(codeOf(() => members.update(missing, memberInput(), { allowDuplicate: false }))).toBe('member_not_found');
    expect(codeOf(() => members.delete(missing))).toBe('member_not_found');
    expect(codeOf(() => members.create(memberInput({ categoryId: missing }), { allowDuplicate: false }))).toBe('category_not_found');
    const retired = insertCategory(core, { name: 'Ancienne', deleted: true });
    expect(codeOf(() => members.create(memberInput({ categoryId: retired }), { allowDuplicate: false }))).toBe('category_not_found');

    const erased = members.create(memberInput(), { allowDuplicate: false });
    members.erase(erased.id);
    expect(codeOf(() => members.update(erased.id, memberInput({ firstName: 'Back' }), { allowDuplicate: false }))).toBe('member_erased');
    expect(codeOf(() => members.erase(erased.id))).toBe('member_erased');
    expect(count('members')).toBe(1);
  });

  it('lets a member keep a category deleted since it was given', () => {
    const category = insertCategory(core, { name: 'Bienfaiteur' });
    const member = members.create(memberInput({ categoryId: category }), { allowDuplicate: false });
    core.db.prepare('update categories set deleted_at = ? where id = ?').run('2026-03-15T11:00:00.000Z', category);
    expect(members.update(member.id, memberInput({ categoryId: category, city: 'Vannes' }), { allowDuplicate: false }).city).toBe('Vannes');
  });
});

describe('member numbers', () => {
  it('refuses a number already given, even to a deleted member', () => {
    const first = members.create(memberInput({ number: '7' }), { allowDuplicate: false });
    const second = members.create(memberInput({ number: '8', lastName: 'Durand' }), { allowDuplicate: false });
    members.delete(first.id);
    let error: unknown;
    try {
      members.create(memberInput({ number: '7', lastName: 'Petit' }), { allowDuplicate: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'member_number_taken', details: { number: '7' } });
    expect(codeOf(() => members.update(second.id, memberInput({ number: '7', lastName: 'Durand' }), { allowDuplicate: false }))).toBe(
      'member_number_taken',
    );
    expect(members.findByNumber('7')?.id).toBe(first.id);
    expect(members.findByNumber('9')).toBeNull();
  });

  it('suggests the highest numeric number plus one, ignoring the others', () => {
    expect(members.nextNumber()).toBe('1');
    for (const [number, lastName] of [['9', 'A'], ['10', 'B'], ['0042', 'C'], ['A-900', 'D'], ['2026-15', 'E']] as const) {
      members.create(memberInput({ number, lastName }), { allowDuplicate: false });
    }
    expect(members.nextNumber()).toBe('43');
    members.create(memberInput({ number: '123456789012345678901234567890', lastName: 'F' }), { allowDuplicate: false });
    expect(members.nextNumber()).toBe('123456789012345678901234567891');
  });
});

describe('duplicates', () => {
  it('finds the same email whatever its case, and the same name and postcode whatever the accents', () => {
    const helene = members.create(
      memberInput({ number: '1', firstName: 'Hélène', lastName: 'Dupont', email: 'Helene.Dupont@Exemple.fr', postcode: '35000' }),
      { allowDuplicate: false },
    );
    const byEmail = members.findDuplicates(memberInput({ firstName: 'H', lastName: 'D', email: 'helene.dupont@exemple.FR' }), null);
    expect(byEmail).toEqual<DuplicateMatch[]>([{ id: helene.id, number: '1', displayName: 'Hélène Dupont', reason: 'email' }]);
    const byName = members.findDuplicates(memberInput({ firstName: 'HELENE', lastName: 'dupont', postcode: '35 000' }), null);
    expect(byName).toEqual<DuplicateMatch[]>([{ id: helene.id, number: '1', displayName: 'Hélène Dupont', reason: 'name_postcode' }]);
    expect(members.findDuplicates(memberInput({ firstName: 'Hélène', lastName: 'Dupont', postcode: '29000' }), null)).toEqual([]);
    expect(members.findDuplicates(memberInput({ firstName: 'Hélène', lastName: 'Dupont', postcode: '' }), null)).toEqual([]);
    expect(members.findDuplicates(memberInput({ firstName: 'Hélène', lastName: 'Dupont', email: 'helene.dupont@exemple.fr', postcode: '35000' }), helene.id)).toEqual([]);
  });

  it('finds an organisation by its name and postcode, and never a deleted member', () => {
    const org = members.create(memberInput({ firstName: '', lastName: '', organisationName: 'Café Associatif', postcode: '56000' }), {
      allowDuplicate: false,
    });
    const same = memberInput({ firstName: '', lastName: '', organisationName: 'CAFE ASSOCIATIF', postcode: '56000' });
    expect(members.findDuplicates(same, null).map((m) => m.id)).toEqual([org.id]);
    members.delete(org.id);
    expect(members.findDuplicates(same, null)).toEqual([]);
  });

  it('refuses a likely duplicate with the matches unless the user confirmed', () => {
    const first = members.create(memberInput({ email: 'camille@exemple.fr' }), { allowDuplicate: false });
    let error: unknown;
    try {
      members.create(memberInput({ number: '2', lastName: 'Autre', email: 'CAMILLE@exemple.fr' }), { allowDuplicate: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'possible_duplicate', details: { matches: [{ id: first.id, reason: 'email' }] } });
    expect(count('members')).toBe(1);
    const second = members.create(memberInput({ number: '2', lastName: 'Autre', email: 'CAMILLE@exemple.fr' }), { allowDuplicate: true });

    // Once confirmed, editing something else of either member does not ask again; changing the identity does.
    expect(members.update(second.id, memberInput({ number: '2', lastName: 'Autre', email: 'CAMILLE@exemple.fr', city: 'Brest' }), { allowDuplicate: false }).city).toBe('Brest');
    const third = members.create(memberInput({ number: '3', lastName: 'Tiers', email: 'tiers@exemple.fr' }), { allowDuplicate: false });
    expect(codeOf(() => members.update(third.id, memberInput({ number: '3', lastName: 'Tiers', email: 'Camille@Exemple.fr' }), { allowDuplicate: false }))).toBe(
      'possible_duplicate',
    );
  });

  it('finds a member by email, live ones first', () => {
    const gone = members.create(memberInput({ number: '1', email: 'Camille@Exemple.fr' }), { allowDuplicate: false });
    members.delete(gone.id);
    expect(members.findByEmail('camille@exemple.fr')?.id).toBe(gone.id);
    const live = members.create(memberInput({ number: '2', email: 'camille@exemple.fr' }), { allowDuplicate: false });
    expect(members.findByEmail('CAMILLE@EXEMPLE.FR')?.id).toBe(live.id);
    expect(members.findByEmail('')).toBeNull();
  });
});

describe('soft delete', () => {
  it('deletes and restores, each audited once', () => {
    const member = members.create(memberInput(), { allowDuplicate: false });
    const deleted = members.delete(member.id);
    expect(deleted.deletedAt).toBe('2026-03-15T10:00:00.000Z');
    expect(members.delete(member.id)).toEqual(deleted);
    expect(members.restore(member.id).deletedAt).toBeNull();
    expect(members.restore(member.id).deletedAt).toBeNull();
    expect(auditOf(member.id).map((e) => [e.action, e.changes])).toEqual([
      ['create', expect.anything()],
      ['delete', { deletedAt: { from: null, to: '2026-03-15T10:00:00.000Z' } }],
      ['restore', { deletedAt: { from: '2026-03-15T10:00:00.000Z', to: null } }],
    ]);
  });
});

describe('GDPR', () => {
  const identity = memberInput({
    number: '12',
    firstName: 'Hélène',
    lastName: 'Dupont',
    email: 'helene@exemple.fr',
    phone: '0611223344',
    address: '3 rue des Lilas',
    postcode: '35000',
    city: 'Rennes',
    country: 'France',
    joinedOn: '2020-09-01',
    notes: 'allergique aux chats',
    newsletterConsent: true,
    newsletterConsentOn: '2020-09-01',
  });
  const PERSONAL = ['Hélène', 'Dupont', 'helene@exemple.fr', '0611223344', 'Lilas', '35000', 'Rennes', 'allergique', 'H. Dupont', 'chèque de'];

  it('erases the identity for good and keeps the books', () => {
    const category = insertCategory(core, { name: 'Adhésion' });
    const member = members.create({ ...identity, categoryId: category }, { allowDuplicate: false });
    const paid = insertPayment(core, { memberId: member.id, periodEnd: '2025-12-31', paidOn: '2025-01-10', payerName: 'H. Dupont', notes: 'chèque de sa mère' });
    insertReversal(core, { memberId: member.id, reverses: paid, notes: 'chèque de retour' });
    insertPayment(core, { memberId: member.id, periodEnd: '2026-12-31', paidOn: '2026-01-10', amountCents: 2500 });

    clock.set('2026-04-01T08:00:00.000Z');
    const erased = members.erase(member.id);
    expect(erased).toMatchObject({
      number: '12',
      firstName: '',
      lastName: '',
      organisationName: '',
      email: '',
      phone: '',
      address: '',
      postcode: '',
      city: '',
      country: '',
      notes: '',
      newsletterConsent: false,
      newsletterConsentOn: null,
      categoryId: category,
      joinedOn: '2020-09-01',
      erasedAt: '2026-04-01T08:00:00.000Z',
    });
    expect(core.db.prepare('select amount_cents, paid_on, period_end, payer_name, notes from payments order by rowid').all()).toEqual([
      { amount_cents: 2000, paid_on: '2025-01-10', period_end: '2025-12-31', payer_name: '', notes: '' },
      { amount_cents: -2000, paid_on: '2026-01-15', period_end: null, payer_name: '', notes: '' },
      { amount_cents: 2500, paid_on: '2026-01-10', period_end: '2026-12-31', payer_name: '', notes: '' },
    ]);
    const row = core.db.prepare('select search_text, sort_name from members where id = ?').get(member.id);
    expect(row).toEqual({ search_text: '12', sort_name: '' });

    const entry = auditOf(member.id).at(-1);
    expect(entry?.action).toBe('erase');
    expect(Object.keys(entry?.changes ?? {}).sort()).toEqual(
      ['firstName', 'lastName', 'email', 'phone', 'address', 'postcode', 'city', 'country', 'notes', 'newsletterConsent', 'newsletterConsentOn', 'erasedAt'].sort(),
    );
    for (const value of PERSONAL) expect(JSON.stringify(entry)).not.toContain(value);
    // The earlier entries (the create) forget their values too: nothing personal is left anywhere in the log.
    const log = JSON.stringify(core.db.prepare('select changes from audit_log').all());
    for (const value of PERSONAL) expect(log).not.toContain(value);
    expect(auditOf(member.id)[0]).toMatchObject({ action: 'create', changes: { firstName: { from: null, to: null } } });
    // Only this redaction is allowed: any other edit of the log is still refused.
    expect(() => core.db.prepare("update audit_log set actor = 'x'").run()).toThrow(/append-only/);
  });

  it('exports everything held about a member as JSON', () => {
    const member = members.create(identity, { allowDuplicate: false });
    members.update(member.id, { ...identity, city: 'Vitré' }, { allowDuplicate: false });
    const first = insertPayment(core, { memberId: member.id, periodEnd: '2026-12-31', paidOn: '2026-02-01' });
    insertPayment(core, { memberId: member.id, periodEnd: '2025-12-31', paidOn: '2025-02-01' });
    core.db
      .prepare(`insert into receipts (id, payment_id, year, seq, number, issued_on, created_at) values ('r1', ?, 2026, 1, '2026-0001', '2026-02-01', ?)`)
      .run(first, '2026-02-01T00:00:00.000Z');

    const file = members.exportPersonalData(member.id);
    expect(file).toMatchObject({ fileName: 'member-12.json', mimeType: 'application/json' });
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(text).toContain('\n  "member": {');
    const data = JSON.parse(text) as { member: unknown; payments: { paidOn: string; receiptNumber: string | null }[]; receipts: string[]; audit: { action: string }[] };
    expect(data.member).toEqual(members.get(member.id));
    expect(data.payments.map((p) => [p.paidOn, p.receiptNumber])).toEqual([
      ['2025-02-01', null],
      ['2026-02-01', '2026-0001'],
    ]);
    expect(data.receipts).toEqual(['2026-0001']);
    expect(data.audit.map((e) => e.action)).toEqual(['create', 'update']);
  });
});

describe('through the contract', () => {
  it('validates, creates, and reports duplicates with their matches', async () => {
    const handlers = createHandlers(core);
    const refused = await dispatch(handlers, 'members.create', { member: { ...memberInput(), firstName: '', lastName: '' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const created = await dispatch(handlers, 'members.create', { member: memberInput({ email: 'camille@exemple.fr', city: '  Rennes ' }) });
    expect(created).toMatchObject({ ok: true, value: { email: 'camille@exemple.fr', city: 'Rennes' } });
    const again = await dispatch(handlers, 'members.create', { member: memberInput({ number: '2', email: 'Camille@exemple.fr' }) });
    expect(again).toMatchObject({ ok: false, error: { code: 'possible_duplicate', details: { matches: [{ number: '1', reason: 'email' }] } } });
    expect(await dispatch(handlers, 'members.nextNumber', {})).toEqual({ ok: true, value: '2' });
  });

  it('searches, shows, deletes, restores, exports and erases a member', async () => {
    const handlers = createHandlers(core);
    const { id } = members.create(memberInput({ firstName: 'Hélène', city: 'Rennes' }), { allowDuplicate: false });
    expect(await dispatch(handlers, 'members.search', { query: 'helene' })).toMatchObject({ ok: true, value: { total: 1, rows: [{ id, status: 'never' }] } });
    expect(await dispatch(handlers, 'members.get', { id })).toMatchObject({ ok: true, value: { displayName: 'Hélène Martin', status: 'never' } });
    expect(await dispatch(handlers, 'members.delete', { id })).toMatchObject({ ok: true, value: { deletedAt: '2026-03-15T10:00:00.000Z' } });
    expect(await dispatch(handlers, 'members.search', {})).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await dispatch(handlers, 'members.restore', { id })).toMatchObject({ ok: true, value: { deletedAt: null } });
    expect(await dispatch(handlers, 'members.exportPersonalData', { id })).toMatchObject({ ok: true, value: { fileName: 'member-1.json' } });
    expect(await dispatch(handlers, 'members.erase', { id })).toMatchObject({ ok: true, value: { firstName: '', city: '' } });
    expect(await dispatch(handlers, 'members.get', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'member_not_found' },
    });
  });
});
