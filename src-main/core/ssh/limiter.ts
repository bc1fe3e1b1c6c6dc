// Two-level concurrency limit: at most `perKey` holders per server and `global` in all. Waiters are served first come
// first served among those that can run, so a busy server never holds up another one.

interface Waiter {
  key: string;
  grant: () => void;
}

export class Limiter {
  private readonly active = new Map<string, number>();
  private total = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly perKey: number,
    private readonly global: number,
  ) {
    if (!(perKey >= 1 && global >= 1)) throw new RangeError('concurrency limits must be at least 1');
  }

  /** Resolves with the release function once a slot for `key` is free. */
  acquire(key: string): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({ key, grant: () => resolve(this.releaser(key)) });
      this.dispatch();
    });
  }

  inFlight(): Record<string, number> {
    return Object.fromEntries(this.active);
  }

  queued(): number {
    return this.waiting.length;
  }

  private releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.active.get(key) ?? 1) - 1;
      if (count === 0) this.active.delete(key);
      else this.active.set(key, count);
      this.total--;
      this.dispatch();
    };
  }

  private dispatch(): void {
    for (let i = 0; i < this.waiting.length && this.total < this.global; ) {
      const waiter = this.waiting[i];
      if (waiter === undefined) break;
      const count = this.active.get(waiter.key) ?? 0;
      if (count >= this.perKey) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.active.set(waiter.key, count + 1);
      this.total++;
      waiter.grant();
    }
  }
}
