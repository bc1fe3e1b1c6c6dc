import { describe, expect, it } from 'vitest';
import { isStale, nextDrillAt, nextRunAt } from './schedule';

/** Local time, as daily schedules are. */
const at = (day: number, hours: number, minutes = 0) => new Date(2026, 2, day, hours, minutes);

describe('backup schedules', () => {
  const daily = { kind: 'daily', at: '02:30' } as const;
  const created = at(1, 12);

  it('runs a daily job at its time, catches up a slot missed while the laptop was closed, and waits after a run', () => {
    expect(nextRunAt(daily, null, created, at(1, 20))).toEqual(at(2, 2, 30));
    expect(nextRunAt(daily, null, created, at(2, 9))).toEqual(at(2, 2, 30)); // missed: due now
    expect(nextRunAt(daily, at(2, 9, 1), created, at(2, 10))).toEqual(at(3, 2, 30));
    // A failed attempt counts: the next slot, not a retry loop.
    expect(nextRunAt(daily, at(3, 2, 30), created, at(3, 2, 31))).toEqual(at(4, 2, 30));
  });

  it('runs an interval job N hours after its last attempt, at once the first time; never a manual one', () => {
    expect(nextRunAt({ kind: 'interval', hours: 6 }, null, created, at(1, 13))).toEqual(at(1, 13));
    expect(nextRunAt({ kind: 'interval', hours: 6 }, at(1, 13), created, at(1, 14))).toEqual(at(1, 19));
    expect(nextRunAt({ kind: 'manual' }, null, created, at(9, 0))).toBeNull();
  });

  it('calls backups stale past twice the period, counting from the job creation before the first success', () => {
    expect(isStale(daily, at(1, 2), created, at(3, 1))).toBe(false);
    expect(isStale(daily, at(1, 2), created, at(3, 3))).toBe(true);
    expect(isStale({ kind: 'interval', hours: 6 }, null, created, at(2, 0))).toBe(false);
    expect(isStale({ kind: 'interval', hours: 6 }, null, created, at(2, 1))).toBe(true);
    expect(isStale({ kind: 'manual' }, null, created, at(30, 0))).toBe(false);
  });

  it('drills every N days once a backup exists', () => {
    expect(nextDrillAt(7, null, null)).toBeNull();
    expect(nextDrillAt(7, null, at(2, 3))).toEqual(at(2, 3));
    expect(nextDrillAt(7, at(2, 4), at(2, 3))).toEqual(at(9, 4));
    expect(nextDrillAt(null, null, at(2, 3))).toBeNull();
  });
});
