import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../../contract/members';
import { deliver, drain, joinTeam, laptop, syncedState, type Laptop } from './sync-test-fixtures';

let laptops: Laptop[] = [];
afterEach(() => {
  for (const l of laptops) l.cleanup();
  laptops = [];
});
const make = (name: string) => {
  const l = laptop(name);
  laptops.push(l);
  return l;
};

describe('sync engine', () => {
  it('a member, a payment and their audit entries made on one laptop appear on another, and nothing is sent back', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);
    await a.call('settings.update', { associationName: 'Les Chatons du Trégor', volunteerName: 'Anne' });
    const member = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '1', firstName: 'Hélène', lastName: 'Roux' } });
    await a.call('payments.record', { memberId: member.id, amountCents: 2500, paidOn: '2026-01-15', method: 'cash' });
    deliver(b, drain(a));
    expect(drain(b)).toEqual([]);
    expect(syncedState(b)).toEqual(syncedState(a));
    expect((await b.call('members.get', { id: member.id })).member.firstName).toBe('Hélène');
    expect((await b.call('settings.get', {})).associationName).toBe('Les Chatons du Trégor');
    // The volunteer's name is this laptop's own.
    expect((await b.call('settings.get', {})).volunteerName).toBe('');
  });

  it('an erasure wins over another laptop’s concurrent edit, on both laptops, audit trail included', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);
    const member = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '7', firstName: 'Maëlle', lastName: 'Le Goff', email: 'maelle@example.org' } });
    await a.call('payments.record', { memberId: member.id, amountCents: 1000, paidOn: '2026-02-01', method: 'cash' });
    deliver(b, drain(a));
    // Offline, each on their own: A erases; B, who has not heard, corrects her city and email.
    await a.call('members.erase', { id: member.id });
    const { member: onB } = await b.call('members.get', { id: member.id });
    const { id: _i, createdAt: _c, updatedAt: _u, deletedAt: _d, erasedAt: _e, ...input } = onB;
    await b.call('members.update', { id: member.id, member: { ...input, city: 'Morlaix', email: 'maelle.legoff@example.org' } });
    const fromA = drain(a);
    const fromB = drain(b);
    deliver(a, fromB);
    deliver(b, fromA);
    expect(syncedState(a)).toEqual(syncedState(b));
    for (const l of [a, b]) {
      const row = l.db.prepare('select first_name, email, city, number, erased_at from members where id = ?').get(member.id) as Record<string, unknown>;
      expect(row, l.name).toMatchObject({ first_name: '', email: '', city: '', number: '7' });
      expect(row.erased_at).not.toBeNull();
      const audit = JSON.stringify(l.db.prepare('select changes from audit_log').all());
      for (const word of ['Maëlle', 'maelle', 'Morlaix']) expect(audit, `${l.name}: ${word}`).not.toContain(word);
    }
  });

  it('keeps what a newer Pelote wrote (a table or column unknown here) without applying it, and says so', async () => {
    const a = make('a');
    const b = make('b');
    joinTeam(a);
    joinTeam(b);
    const member = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '5', lastName: 'Quéré' } });
    const newer = [
      ...drain(a),
      { timestamp: '2026-12-07T12:00:00.000Z-0000-00000000000000ff', dataset: 'members', row: member.id, column: 'pronouns', value: 'S:elle' },
      { timestamp: '2026-12-07T12:00:00.001Z-0000-00000000000000ff', dataset: 'volunteers', row: 'v1', column: 'name', value: 'S:Yann' },
    ];
    deliver(b, newer);
    deliver(b, newer);
    const status = await b.call('sync.status', {});
    expect(status).toMatchObject({ held: 2, heldForNewerPelote: 2 });
    // The member itself landed; only the newer write to it waits.
    expect((await b.call('members.get', { id: member.id })).member.lastName).toBe('Quéré');
    expect(b.db.prepare('select value from sync_pending order by timestamp').pluck().all()).toEqual(['S:elle', 'S:Yann']);
  });
});
