// This laptop's hybrid logical clock, from Actual's published engine. The engine keeps one clock per process in a
// module global; several cores in one process (tests, the watcher later) each keep their own and swap it in around
// every synchronous call, never across an await.
import { getClock, makeClock, merkle, setClock, Timestamp, type Clock } from '@actual-app/crdt';
import { CoreError } from '../../errors';

/**
 * The engine's hard limit on how far a timestamp may run ahead of this laptop's wall clock. Wide on purpose: a
 * stamp refused here would refuse a volunteer's own change. Devices whose clocks run ahead by more than
 * SOFT_DRIFT_MS are held back earlier, at the segment (see pull), and told so, without refusing anyone's writes.
 */
const MAX_DRIFT_MS = 24 * 3_600_000;
export const SOFT_DRIFT_MS = 15 * 60_000;
Timestamp.init({ maxDrift: MAX_DRIFT_MS });

export type Trie = ReturnType<typeof merkle.emptyTrie>;

export class DeviceClock {
  private readonly clock: Clock;

  constructor(
    readonly node: string,
    last: string,
    trie: Trie,
  ) {
    const start = (last === '' ? null : Timestamp.parse(last)) ?? new Timestamp(0, 0, node);
    this.clock = makeClock(new Timestamp(start.millis(), start.counter(), node), trie);
  }

  private with<T>(work: () => T): T {
    // Null until some clock was set (the engine's getClock() is typed as always returning one).
    const previous = getClock() as Clock | null;
    setClock(this.clock);
    try {
      return work();
    } catch (error) {
      if (error instanceof Timestamp.ClockDriftError) {
        throw new CoreError('sync_clock_drift', 'This computer’s clock is more than a day away from the team’s changes: set its date and time.');
      }
      throw error;
    } finally {
      if (previous) setClock(previous);
    }
  }

  /** A new timestamp for a local change, after `persisted` (the last one any process of this laptop wrote). */
  send(persisted: string | null): string {
    return this.with(() => {
      if (persisted) this.absorb(persisted);
      return String(Timestamp.send());
    });
  }

  /** Moves the clock past a remote (or another local process's) timestamp. */
  recv(timestamp: string): void {
    this.with(() => this.absorb(timestamp));
  }

  private absorb(timestamp: string): void {
    const parsed = Timestamp.parse(timestamp);
    if (!parsed) throw new CoreError('sync_bad_message', `Not a timestamp: ${timestamp.slice(0, 50)}`);
    if (parsed.valueOf() > this.clock.timestamp.valueOf()) Timestamp.recv(parsed);
  }

  last(): string {
    return this.clock.timestamp.toString();
  }

  trie(): Trie {
    return this.clock.merkle;
  }

  /** Records messages this laptop now holds (published or applied): each timestamp once, or the XOR undoes it. */
  hash(timestamps: readonly string[]): void {
    // The trie keys timestamps by minute and XORs their hashes: one insert per minute carrying the XOR of that
    // minute's hashes is the same trie, and a first sync of 100,000 members spans a few minutes, not 2 million.
    const perMinute = new Map<number, number>();
    // Timestamps reach here in their canonical text (made here, or checked by apply): hashed as they are, their
    // minute parsed once per minute, without the parse and format round trip that cost more than the rest of
    // applying a snapshot.
    const minutes = new Map<string, number>();
    for (const ts of timestamps) {
      const text = ts.slice(0, 16);
      let minute = minutes.get(text);
      if (minute === undefined) minutes.set(text, (minute = Math.floor(Date.parse(`${text}:00.000Z`) / 60_000)));
      if (Number.isNaN(minute)) continue;
      perMinute.set(minute, (perMinute.get(minute) ?? 0) ^ murmur3(ts));
    }
    let trie = this.clock.merkle;
    for (const [minute, hash] of perMinute) {
      trie = merkle.insert(trie, minuteStamp(minute, hash));
    }
    this.clock.merkle = merkle.prune(trie);
  }

}

/** merkle.insert reads only a timestamp's millis() and hash(): the minute's, carrying the XOR of its hashes. */
class MinuteStamp extends Timestamp {
  constructor(
    minute: number,
    private readonly xor: number,
  ) {
    super(minute * 60_000, 0, '');
  }

  override hash(): number {
    return this.xor;
  }
}

const minuteStamp = (minute: number, xor: number): Timestamp => new MinuteStamp(minute, xor);

/**
 * Timestamp.hash(): MurmurHash3 (x86, 32 bits, seed 0) of the timestamp's text, which is ASCII. The engine's copy
 * makes a TextEncoder per call, a third of applying a large snapshot; this one reads the characters.
 */
export function murmur3(text: string): number {
  const whole = text.length & ~3;
  let h = 0;
  for (let i = 0; i < whole; i += 4) {
    const k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 8) | (text.charCodeAt(i + 2) << 16) | (text.charCodeAt(i + 3) << 24);
    h = rotl(h ^ mix(k), 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let i = text.length - 1; i >= whole; i--) tail = (tail << 8) | text.charCodeAt(i);
  if (text.length > whole) h ^= mix(tail);
  h ^= text.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const mix = (k: number): number => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
