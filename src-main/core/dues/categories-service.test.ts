import { afterEach, describe, expect, it } from 'vitest';
import type { CategoryInput } from '../../contract';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { CategoriesService } from './categories-service';
import { insertMember } from './dues-test-fixtures';

const clock = fixedClock('2026-03-10T09:00:00.000Z');
let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

const FULL: CategoryInput = { name: 'Plein tarif', fee: { kind: 'fixed', amountCents: 2000 }, period: null, graceDays: null };
const STUDENT: CategoryInput = {
  name: 'Étudiant',
  fee: { kind: 'pay_what_you_want', minimumCents: 500 },
  period: { kind: 'rolling_months', months: 6 },
  graceDays: 15,
};
const HONORARY: CategoryInput = { name: 'Membre d’honneur', fee: { kind: 'exempt' }, period: { kind: 'fiscal_year' }, graceDays: 0 };

function setup() {
  core = tempCore({ clock });
  return new CategoriesService(core);
}

const codeOf = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('categories', () => {
  it('stores every fee and period rule and gives them back as written', () => {
    const categories = setup();
    const created = [FULL, STUDENT, HONORARY].map((input) => categories.create(input));
    for (const [index, input] of [FULL, STUDENT, HONORARY].entries()) {
      expect(created[index]).toEqual({
        ...input,
        id: created[index]?.id,
        memberCount: 0,
        createdAt: '2026-03-10T09:00:00.000Z',
        updatedAt: '2026-03-10T09:00:00.000Z',
        deletedAt: null,
      });
    }
    expect(new Set(created.map((c) => c.id)).size).toBe(3);
    expect(categories.list().map((c) => c.name)).toEqual(['Étudiant', 'Membre d’honneur', 'Plein tarif']);
  });

  it('counts live members only', () => {
    const categories = setup();
    const full = categories.create(FULL);
    const student = categories.create(STUDENT);
    insertMember(core, { categoryId: full.id });
    insertMember(core, { categoryId: full.id });
    insertMember(core, { categoryId: full.id, deletedAt: '2026-01-01T00:00:00.000Z' });
    insertMember(core, { categoryId: student.id, erasedAt: '2026-01-01T00:00:00.000Z' });
    insertMember(core);
    const counts = Object.fromEntries(categories.list().map((c) => [c.name, c.memberCount]));
    expect(counts).toEqual({ 'Plein tarif': 2, Étudiant: 1 });
  });

  it('keeps names unique among live categories, whatever the case or accents’ case', () => {
    const categories = setup();
    const student = categories.create(STUDENT);
    expect(codeOf(() => categories.create({ ...FULL, name: 'ÉTUDIANT' }))).toMatchObject({
      code: 'category_name_taken',
      details: { name: 'ÉTUDIANT' },
    });
    const full = categories.create(FULL);
    expect(codeOf(() => categories.update(full.id, { ...FULL, name: ' étudiant ' }))).toMatchObject({ code: 'category_name_taken' });
    // Renaming to its own name (another case) is no conflict.
    expect(categories.update(student.id, { ...STUDENT, name: 'étudiant' }).name).toBe('étudiant');
    // A deleted category frees its name.
    categories.delete(student.id);
    expect(categories.create({ ...STUDENT, name: 'Étudiant' }).deletedAt).toBeNull();
  });

  it('finds a live category by name, ignoring case and surrounding spaces', () => {
    const categories = setup();
    const old = categories.create(STUDENT);
    categories.delete(old.id);
    expect(categories.findByName('étudiant')).toBeNull();
    const student = categories.create(STUDENT);
    expect(categories.findByName('  éTUDIANT ')?.id).toBe(student.id);
    expect(categories.findByName('Retraité')).toBeNull();
  });

  it('updates the rules and audits only what changed', () => {
    const categories = setup();
    const full = categories.create(FULL);
    clock.set('2026-03-11T09:00:00.000Z');
    const updated = categories.update(full.id, { ...FULL, fee: { kind: 'fixed', amountCents: 2500 }, period: { kind: 'calendar_year' } });
    expect(updated).toMatchObject({ fee: { kind: 'fixed', amountCents: 2500 }, period: { kind: 'calendar_year' }, updatedAt: '2026-03-11T09:00:00.000Z' });
    const trail = core.audit.list({ entity: 'category', entityId: full.id });
    expect(trail.map((e) => e.action)).toEqual(['create', 'update']);
    expect(trail[0]?.changes).toEqual({
      name: { from: null, to: 'Plein tarif' },
      fee: { from: null, to: { kind: 'fixed', amountCents: 2000 } },
    });
    expect(trail[1]?.changes).toEqual({
      fee: { from: { kind: 'fixed', amountCents: 2000 }, to: { kind: 'fixed', amountCents: 2500 } },
      period: { from: null, to: { kind: 'calendar_year' } },
    });
  });

  it('tells the members lists when a category they show changes', () => {
    const categories = setup();
    const full = categories.create(FULL);
    const member = insertMember(core, { categoryId: full.id });
    const seen: unknown[] = [];
    core.events.onAny((name, payload) => seen.push([name, payload]));
    categories.update(full.id, { ...FULL, name: 'Normal' });
    expect(seen).toEqual([['members.changed', { ids: [member] }]]);
  });

  it('refuses to delete a category live members belong to, and soft-deletes one nobody uses', () => {
    const categories = setup();
    const full = categories.create(FULL);
    insertMember(core, { categoryId: full.id });
    insertMember(core, { categoryId: full.id });
    expect(codeOf(() => categories.delete(full.id))).toMatchObject({ code: 'category_in_use', details: { count: 2 } });
    expect(categories.list()).toHaveLength(1);

    const honorary = categories.create(HONORARY);
    insertMember(core, { categoryId: honorary.id, deletedAt: '2026-01-01T00:00:00.000Z' });
    clock.set('2026-03-12T09:00:00.000Z');
    expect(categories.delete(honorary.id).deletedAt).toBe('2026-03-12T09:00:00.000Z');
    expect(categories.list().map((c) => c.id)).toEqual([full.id]);
    expect(categories.list({ includeDeleted: true }).map((c) => c.id).sort()).toEqual([full.id, honorary.id].sort());
    expect(core.audit.list({ entity: 'category', entityId: honorary.id }).at(-1)).toMatchObject({
      action: 'delete',
      changes: { deletedAt: { from: null, to: '2026-03-12T09:00:00.000Z' } },
    });
    // Deleted is gone for editing.
    expect(codeOf(() => categories.update(honorary.id, HONORARY))).toMatchObject({ code: 'category_not_found' });
    expect(codeOf(() => categories.delete(honorary.id))).toMatchObject({ code: 'category_not_found' });
  });

  it('writes nothing when the audit entry cannot be written', () => {
    const categories = setup();
    core.db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => categories.create(FULL)).toThrow(/disk full/);
    expect(categories.list({ includeDeleted: true })).toEqual([]);
  });
});
