import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter';

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('Limiter', () => {
  it('holds a key to its limit and serves its waiters in order', async () => {
    const limiter = new Limiter(2, 10);
    const first = await limiter.acquire('a');
    await limiter.acquire('a');
    const third = limiter.acquire('a');
    const fourth = limiter.acquire('a');
    expect(await settled(third)).toBe(false);
    expect(limiter.inFlight()).toEqual({ a: 2 });
    expect(limiter.queued()).toBe(2);
    first();
    first(); // releasing twice frees one slot only
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
  });

  it('does not let a busy key hold up another one', async () => {
    const limiter = new Limiter(1, 10);
    await limiter.acquire('busy');
    const blocked = limiter.acquire('busy');
    const other = limiter.acquire('idle');
    expect(await settled(other)).toBe(true);
    expect(await settled(blocked)).toBe(false);
  });

  it('caps the total across keys', async () => {
    const limiter = new Limiter(4, 2);
    const releaseA = await limiter.acquire('a');
    await limiter.acquire('b');
    const c = limiter.acquire('c');
    expect(await settled(c)).toBe(false);
    releaseA();
    expect(await settled(c)).toBe(true);
    expect(limiter.inFlight()).toEqual({ b: 1, c: 1 });
  });
});
