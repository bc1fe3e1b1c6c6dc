import { describe, expect, it } from 'vitest';
import { formatBytes, formatMetric, formatRate, valueAxis } from './units';

/** Intl separates a number from its unit with a (narrow) no-break space in some languages: compare on plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('bytes and rates', () => {
  it('humanise in SI units named in the UI language', () => {
    expect(plain(formatBytes(1_234_567_890, 'en'))).toBe('1.23 GB');
    expect(plain(formatBytes(1_234_567_890, 'fr'))).toBe('1,23 Go');
    expect(plain(formatBytes(12_500_000, 'en'))).toBe('12.5 MB');
    expect(plain(formatBytes(125_000_000_000, 'fr'))).toBe('125 Go');
    expect(plain(formatRate(3_400_000, 'en'))).toBe('3.4 MB/s');
    expect(plain(formatRate(3_400_000, 'fr'))).toBe('3,4 Mo/s');
  });

  it('write small amounts with the byte symbol, not the word', () => {
    expect(plain(formatBytes(512, 'en'))).toBe('512 B');
    expect(plain(formatBytes(512, 'fr'))).toBe('512 o');
    expect(plain(formatRate(0, 'en'))).toBe('0 B/s');
  });

  it('format every unit of the contract', () => {
    expect(plain(formatMetric(42.25, 'percent', 'fr'))).toBe('42,3 %');
    expect(formatMetric(1.5, 'load', 'fr')).toBe('1,5');
    expect(plain(formatMetric(2_000, 'bytes_per_second', 'en'))).toBe('2 kB/s');
  });
});

describe('valueAxis', () => {
  it('steps in round amounts of the unit the top tick is written in', () => {
    const axis = valueAxis(3_700_000_000, 'bytes', 'en');
    expect(axis.ticks).toEqual([0, 1e9, 2e9, 3e9, 4e9]);
    expect(axis.top).toBe(4e9);
    expect(plain(axis.format(2e9))).toBe('2 GB');
  });

  it('writes a top that rounds up to the next unit in that unit', () => {
    const axis = valueAxis(870_000, 'bytes_per_second', 'en');
    expect(axis.ticks).toEqual([0, 250_000, 500_000, 750_000, 1_000_000]);
    expect(plain(axis.format(1_000_000))).toBe('1 MB/s');
    expect(plain(axis.format(250_000))).toBe('0.25 MB/s');
  });

  it('keeps decimals that the step needs', () => {
    const axis = valueAxis(0.9, 'load', 'fr');
    expect(axis.ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(axis.format(0.25)).toBe('0,25');
  });

  it('ends a busy percent axis at 100 and a quiet one just above its values', () => {
    expect(valueAxis(73, 'percent', 'en').ticks).toEqual([0, 25, 50, 75, 100]);
    const quiet = valueAxis(3.2, 'percent', 'en');
    expect(quiet.top).toBe(4);
    expect(quiet.ticks.at(-1)).toBe(4);
  });

  it('still has a believable axis without data', () => {
    const axis = valueAxis(0, 'bytes_per_second', 'en');
    expect(axis.ticks).toEqual([0, 250, 500, 750, 1000]);
    expect(plain(axis.format(1000))).toBe('1 kB/s');
    expect(valueAxis(0, 'percent', 'en').top).toBe(10);
  });
});
