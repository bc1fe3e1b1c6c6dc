/** Injected so tests can pin time; timestamps are always stored as UTC ISO-8601. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const isoNow = (clock: Clock): string => clock.now().toISOString();

/** Today's date (UTC), as the ledger and the dues rules count days. */
export const isoToday = (clock: Clock): string => clock.now().toISOString().slice(0, 10);
