import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Laptop } from './engine/sync-test-fixtures';
import { memberInput, testTeam } from './engine/test-team';

const team = testTeam();
afterEach(() => {
  vi.restoreAllMocks();
});

const realNow = Date.now.bind(Date);
const HOUR = 3_600_000;

/** Runs `work` on a laptop whose clock reads `offset` ms past the real time (the hybrid clock reads Date.now). */
async function withClock<T>(offset: number, work: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

describe('a computer whose clock is wrong', () => {
  it('has its changes held, not lost: the others say which computer and by how much, it is told too, and they apply once the clocks agree', async () => {
    const a = team.laptop('a');
    const b: Laptop = team.laptop('b');
    await a.call('settings.update', { volunteerName: 'Anne' });
    await b.call('settings.update', { volunteerName: 'Yann' });
    const sheet = await a.call('sync.create', { folder: team.folder(), keyFile: null });
    await b.call('sync.join', { folder: sheet.folder, key: sheet.key, keyFile: null });

    // A's clock runs two hours ahead: its change is stamped two hours in the future.
    const zoe = await withClock(2 * HOUR, async () => {
      const member = await a.call('members.create', memberInput('3', 'Zoé', 'Martin'));
      await a.call('sync.now', {});
      return member;
    });
    const held = await b.call('sync.now', {});
    expect(held.lastError).toBeNull();
    const problem = held.devices.find((d) => d.volunteerName === 'Anne')?.problem;
    expect(problem?.code).toBe('sync_clock_ahead');
    expect(problem?.details.minutes).toBeGreaterThanOrEqual(119);
    expect(problem?.details.minutes).toBeLessThanOrEqual(121);
    await expect(b.call('members.get', { id: zoe.id })).rejects.toMatchObject({ code: 'member_not_found' });
    // B's own changes still go out.
    const yann = await b.call('members.create', memberInput('4', 'Yann', 'Le Goff'));
    await b.call('sync.now', {});
    // A learns it from B's head: its own clock is the one to set right.
    const told = await a.call('sync.now', {});
    expect((await a.call('members.get', { id: yann.id })).member.firstName).toBe('Yann');
    expect(told.lastError).toMatchObject({ code: 'sync_clock_ahead_here', details: { names: 'Yann' } });
    expect(told.lastError?.details.minutes).toBeGreaterThanOrEqual(119);

    // Two hours later A's stamps are no longer in the future: B applies the change it held, and the problem clears.
    const later = await withClock(2 * HOUR + 60_000, () => b.call('sync.now', {}));
    expect(later.devices.find((d) => d.volunteerName === 'Anne')?.problem).toBeNull();
    expect((await b.call('members.get', { id: zoe.id })).member.firstName).toBe('Zoé');
    expect((await a.call('sync.now', {})).lastError).toBeNull();
  });
});
