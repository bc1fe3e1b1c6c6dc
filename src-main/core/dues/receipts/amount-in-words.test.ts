import { describe, expect, it } from 'vitest';
import { amountInFrenchWords } from './amount-in-words';

const E = 100; // cents per euro, to keep the table readable

// Hand-checked against the traditional (pre-1990) spelling.
const CASES: Array<[number, string]> = [
  [0, 'zéro euro'],
  [1, 'un centime'],
  [5, 'cinq centimes'],
  [99, 'quatre-vingt-dix-neuf centimes'],
  [1 * E, 'un euro'],
  [1 * E + 1, 'un euro et un centime'],
  [1 * E + 50, 'un euro et cinquante centimes'],
  [2 * E, 'deux euros'],
  [1250, 'douze euros et cinquante centimes'],
  [16 * E, 'seize euros'],
  [17 * E, 'dix-sept euros'],
  [20 * E, 'vingt euros'],
  [21 * E, 'vingt et un euros'],
  [22 * E, 'vingt-deux euros'],
  [31 * E, 'trente et un euros'],
  [41 * E, 'quarante et un euros'],
  [51 * E, 'cinquante et un euros'],
  [61 * E, 'soixante et un euros'],
  [69 * E, 'soixante-neuf euros'],
  [70 * E, 'soixante-dix euros'],
  [71 * E, 'soixante et onze euros'],
  [72 * E, 'soixante-douze euros'],
  [77 * E, 'soixante-dix-sept euros'],
  [79 * E, 'soixante-dix-neuf euros'],
  [80 * E, 'quatre-vingts euros'],
  [81 * E, 'quatre-vingt-un euros'],
  [88 * E, 'quatre-vingt-huit euros'],
  [90 * E, 'quatre-vingt-dix euros'],
  [91 * E, 'quatre-vingt-onze euros'],
  [97 * E, 'quatre-vingt-dix-sept euros'],
  [99 * E + 99, 'quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes'],
  [80 * E + 80, 'quatre-vingts euros et quatre-vingts centimes'],
  [100 * E, 'cent euros'],
  [101 * E, 'cent un euros'],
  [121 * E, 'cent vingt et un euros'],
  [171 * E, 'cent soixante et onze euros'],
  [180 * E, 'cent quatre-vingts euros'],
  [181 * E, 'cent quatre-vingt-un euros'],
  [200 * E, 'deux cents euros'],
  [201 * E, 'deux cent un euros'],
  [280 * E, 'deux cent quatre-vingts euros'],
  [999 * E, 'neuf cent quatre-vingt-dix-neuf euros'],
  [1000 * E, 'mille euros'],
  [1001 * E, 'mille un euros'],
  [1100 * E, 'mille cent euros'],
  [1280 * E, 'mille deux cent quatre-vingts euros'],
  [2000 * E, 'deux mille euros'],
  [21_000 * E, 'vingt et un mille euros'],
  [80_000 * E, 'quatre-vingt mille euros'],
  [80_080 * E, 'quatre-vingt mille quatre-vingts euros'],
  [100_000 * E, 'cent mille euros'],
  [200_000 * E, 'deux cent mille euros'],
  [280_000 * E, 'deux cent quatre-vingt mille euros'],
  [999_999 * E, 'neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf euros'],
  [1_000_000 * E, "un million d'euros"],
  [1_000_000 * E + 50, "un million d'euros et cinquante centimes"],
  [1_000_001 * E, 'un million un euros'],
  [1_080_000 * E, 'un million quatre-vingt mille euros'],
  [2_000_000 * E, "deux millions d'euros"],
  [21_000_000 * E, "vingt et un millions d'euros"],
  [80_000_000 * E, "quatre-vingts millions d'euros"],
  [200_000_000 * E, "deux cents millions d'euros"],
  [200_200_200 * E, 'deux cents millions deux cent mille deux cents euros'],
  [1_000_000_000 * E, "un milliard d'euros"],
  [1_001_000_000 * E, "un milliard un million d'euros"],
  [3_000_000_001 * E, 'trois milliards un euros'],
];

describe('amountInFrenchWords', () => {
  it('has a table of at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%i cents → %s', (cents, words) => {
    expect(amountInFrenchWords(cents)).toBe(words);
  });

  it.each([-1, 12.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('rejects %s', (cents) => {
    expect(() => amountInFrenchWords(cents)).toThrow(RangeError);
  });

  it('uses hyphens only inside 17–99, never around cent, mille or million', () => {
    for (let euros = 0; euros < 2_000_000; euros += 997) {
      const words = amountInFrenchWords(euros * E);
      expect(words).not.toMatch(/-(cent|mille|million)|(cent|mille|million)s?-/);
      expect(words).not.toMatch(/\s{2}|^\s|\s$/);
    }
  });
});
