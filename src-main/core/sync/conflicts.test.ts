import { afterEach, describe, expect, it } from 'vitest';
import type { MemberInput } from '../../contract';
import { EMPTY_MEMBER_INPUT } from '../../contract/members';
import { deliver, drain, joinTeam, laptop, syncedState, type Laptop } from './engine/sync-test-fixtures';

let laptops: Laptop[] = [];
afterEach(() => {
  for (const l of laptops) l.cleanup();
  laptops = [];
});
const make = (name: string): Laptop => {
  const l = laptop(name);
  laptops.push(l);
  return l;
};

const person = (number: string, firstName: string, lastName: string, more: Partial<MemberInput> = {}) => ({
  member: { ...EMPTY_MEMBER_INPUT, number, firstName, lastName, ...more },
  allowDuplicate: true,
});

const exchange = (a: Laptop, b: Laptop) => {
  const fromA = drain(a);
  const fromB = drain(b);
  deliver(a, fromB);
  deliver(b, fromA);
};

const refusal = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

describe('conflicts resolved in one click', () => {
  it('Hélène created on both laptops and number 42 given twice: listed on both, renumbered on A, dismissed on B, cleared everywhere', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);

    // Offline, each on their own laptop.
    const heleneA = await a.call('members.create', person('42', 'Hélène', 'Dupré', { email: 'helene.dupre@example.org', postcode: '75011' }));
    const heleneB = await b.call('members.create', person('43', 'HELENE', 'DUPRE', { email: 'Helene.Dupre@Example.org' }));
    const martin = await b.call('members.create', person('42', 'Martin', 'Aubert'));
    await a.call('payments.record', { memberId: heleneA.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    exchange(a, b);
    expect(syncedState(a)).toEqual(syncedState(b));

    const pair = [heleneA.id, heleneB.id].sort();
    const listed = await a.call('sync.conflicts', {});
    expect(listed).toEqual([
      { kind: 'member_number', key: '42', ids: [heleneA.id, martin.id].sort() },
      { kind: 'member_likely_duplicate', key: 'helene.dupre@example.org', ids: pair, reason: 'email' },
    ]);
    expect(await b.call('sync.conflicts', {})).toEqual(listed);

    // A's Hélène has a payment: she is not removed as a copy, and nothing changes.
    expect(await refusal(a.call('sync.resolveConflict', { action: 'remove_copy', memberId: heleneA.id, otherId: heleneB.id }))).toBe('sync_copy_has_payments');
    expect((await a.call('members.get', { id: heleneA.id })).member.deletedAt).toBeNull();
    expect(drain(a)).toEqual([]);

    // A gives Martin the next free number; B says the two Hélène are two people. Each is an ordinary change.
    const next = await a.call('members.nextNumber', {});
    expect(next).toBe('44');
    const leftOnA = await a.call('sync.resolveConflict', { action: 'renumber', memberId: martin.id, number: next });
    expect(leftOnA.map((c) => c.kind)).toEqual(['member_likely_duplicate']);
    expect(a.audit.list({ entity: 'member', entityId: martin.id }).at(-1)).toMatchObject({ action: 'update', changes: { number: { from: '42', to: '44' } } });
    const leftOnB = await b.call('sync.resolveConflict', { action: 'dismiss', ids: [heleneB.id, heleneA.id] });
    expect(leftOnB.map((c) => c.kind)).toEqual(['member_number']);
    const dismissal = `member_likely_duplicate:${pair.join(':')}`;
    expect(b.audit.list({ entity: 'conflict_dismissal', entityId: dismissal })).toEqual([expect.objectContaining({ action: 'create' })]);

    exchange(a, b);
    expect(syncedState(a)).toEqual(syncedState(b));
    expect(await a.call('sync.conflicts', {})).toEqual([]);
    expect(await b.call('sync.conflicts', {})).toEqual([]);
    expect((await b.call('members.get', { id: martin.id })).member.number).toBe('44');
    // Resolved already: a second click (a card not refreshed yet) is refused, not applied twice.
    expect(await refusal(b.call('sync.resolveConflict', { action: 'renumber', memberId: martin.id, number: '45' }))).toBe('sync_conflict_gone');
    expect(await refusal(a.call('sync.resolveConflict', { action: 'dismiss', ids: [heleneA.id, heleneB.id] }))).toBe('sync_conflict_gone');

    // A third Hélène: the dismissal was for one pair, so both new pairs show.
    const third = await b.call('members.create', person('50', 'Hélène', 'Dupré', { email: 'helene.dupre@example.org' }));
    exchange(a, b);
    const withThird = await a.call('sync.conflicts', {});
    expect(withThird.map((c) => c.ids)).toEqual(
      [[heleneA.id, third.id].sort(), [heleneB.id, third.id].sort()].sort((x, y) => x.join().localeCompare(y.join())),
    );

    // Both laptops dismiss the same pair while offline: one row, the same on both.
    await a.call('sync.resolveConflict', { action: 'dismiss', ids: [heleneA.id, third.id] });
    await b.call('sync.resolveConflict', { action: 'dismiss', ids: [third.id, heleneA.id] });
    exchange(a, b);
    expect(syncedState(a)).toEqual(syncedState(b));
    expect(a.db.prepare('select count(*) from conflict_dismissals').pluck().get()).toBe(2);

    // The copy without payments is removed (a soft delete, through the members service), and that syncs too.
    await b.call('sync.resolveConflict', { action: 'remove_copy', memberId: third.id, otherId: heleneB.id });
    expect(b.audit.list({ entity: 'member', entityId: third.id }).at(-1)).toMatchObject({ action: 'delete' });
    exchange(a, b);
    expect((await a.call('members.get', { id: third.id })).member.deletedAt).not.toBeNull();
    expect(await a.call('sync.conflicts', {})).toEqual([]);
    expect(await b.call('sync.conflicts', {})).toEqual([]);
  }, 60_000);

  it('likely duplicates: the same e-mail, or the same name with no e-mail or postcode telling them apart', async () => {
    const a = make('a');
    const sophie = await a.call('members.create', person('1', 'Sophie', 'Leclerc', { postcode: '44 000' }));
    const sophieAgain = await a.call('members.create', person('2', 'sophie', 'LECLÈRC', { email: 'sophie@example.org', postcode: '44000' }));
    // Namesakes with different postcodes, or different e-mails, are two people.
    await a.call('members.create', person('3', 'Marie', 'Martin', { postcode: '75011' }));
    await a.call('members.create', person('4', 'Marie', 'Martin', { postcode: '44000' }));
    await a.call('members.create', person('5', 'Jean', 'Petit', { email: 'jean@example.org' }));
    await a.call('members.create', person('6', 'Jean', 'Petit', { email: 'jean.petit@example.org' }));
    // Deleted and erased members are no one's duplicate.
    const gone = await a.call('members.create', person('7', 'Sophie', 'Leclerc'));
    await a.call('members.delete', { id: gone.id });
    const erased = await a.call('members.create', person('8', 'Paul', 'Roux', { email: 'sophie@example.org' }));
    await a.call('members.erase', { id: erased.id });

    expect(await a.call('sync.conflicts', {})).toEqual([
      { kind: 'member_likely_duplicate', key: 'leclerc sophie', ids: [sophie.id, sophieAgain.id].sort(), reason: 'name' },
    ]);
  });
});
