import { Timestamp } from '@actual-app/crdt';
import { describe, expect, it } from 'vitest';
import { murmur3 } from './device-clock';

describe('the Merkle trie’s timestamp hash', () => {
  it('is the engine’s Timestamp.hash(), for every length of text', () => {
    for (let i = 0; i < 2000; i++) {
      const timestamp = new Timestamp(1_765_000_000_000 + i * 7919, (i * 31) % 0x10000, (i * 2_654_435_761).toString(16).padStart(16, '0').slice(-16));
      expect(murmur3(timestamp.toString())).toBe(timestamp.hash());
    }
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) expect(murmur3(text)).toBe(new (class extends Timestamp { override toString = () => text })(0, 0, '').hash());
  });
});
