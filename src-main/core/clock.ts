/** Injected so tests can pin time; timestamps are always stored as UTC ISO-8601. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const isoNow = (clock: Clock): string => clock.now().toISOString();
