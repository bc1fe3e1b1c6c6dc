// French amounts in words, traditional spelling (pre-1990 reform, still the norm on receipts and cheques):
// hyphens only between tens and units below 100, "et" in 21…71, "vingts"/"cents" plural only when nothing
// numeral follows ("mille" is a numeral, so "deux cent mille"; "million"/"milliard" are nouns, so
// "deux cents millions"), "mille" invariable.

const UNITS = [
  'zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf',
  'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf',
];
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];

function unit(n: number): string {
  const word = UNITS[n];
  if (word === undefined) throw new RangeError(`not a unit: ${n}`);
  return word;
}

/** 1–99. `final`: no numeral follows, so 80 takes its plural "s". */
function belowHundred(n: number, final: boolean): string {
  if (n < 20) return unit(n);
  // 70–79 and 90–99 are built on 60 and 80 plus 10–19.
  const tens = n < 80 ? Math.min(Math.floor(n / 10), 6) : 8;
  const rest = n - tens * 10;
  const tensWord = tens === 8 ? 'quatre-vingt' : (TENS[tens] ?? '');
  if (rest === 0) return tens === 8 && final ? 'quatre-vingts' : tensWord;
  if ((rest === 1 || rest === 11) && tens !== 8) return `${tensWord} et ${unit(rest)}`;
  return `${tensWord}-${unit(rest)}`;
}

/** 1–999. */
function belowThousand(n: number, final: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds === 1) parts.push('cent');
  else if (hundreds > 1) parts.push(`${unit(hundreds)} ${rest === 0 && final ? 'cents' : 'cent'}`);
  if (rest > 0) parts.push(belowHundred(rest, final));
  return parts.join(' ');
}

/** 1–999 999. */
function belowMillion(n: number, final: boolean): string {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const parts: string[] = [];
  if (thousands === 1) parts.push('mille');
  else if (thousands > 1) parts.push(`${belowThousand(thousands, false)} mille`);
  if (rest > 0) parts.push(belowThousand(rest, final));
  return parts.join(' ');
}

/** Counts of millions and milliards are followed by a noun, hence `final` = true. */
function scale(count: number, singular: string): string {
  return `${belowMillion(count, true)} ${singular}${count > 1 ? 's' : ''}`;
}

/** Any non-negative safe integer, in words (without the unit). */
function integerInWords(n: number): string {
  if (n === 0) return unit(0);
  const milliards = Math.floor(n / 1e9);
  const millions = Math.floor(n / 1e6) % 1000;
  const rest = n % 1e6;
  const parts: string[] = [];
  if (milliards > 0) parts.push(scale(milliards, 'milliard'));
  if (millions > 0) parts.push(scale(millions, 'million'));
  if (rest > 0) parts.push(belowMillion(rest, true));
  return parts.join(' ');
}

function withUnit(n: number, singular: string, plural: string): string {
  const words = integerInWords(n);
  // "un million d'euros", but "un million un euros".
  if (n >= 1e6 && n % 1e6 === 0) return `${words} d'${plural}`;
  return `${words} ${n > 1 ? plural : singular}`;
}

/** 1250 → "douze euros et cinquante centimes". Throws on negative or non-integer cents. */
export function amountInFrenchWords(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new RangeError(`amount must be a non-negative integer number of cents, got ${cents}`);
  }
  const euros = Math.floor(cents / 100);
  const centimes = cents % 100;
  if (centimes === 0) return withUnit(euros, 'euro', 'euros');
  const centimesWords = withUnit(centimes, 'centime', 'centimes');
  return euros === 0 ? centimesWords : `${withUnit(euros, 'euro', 'euros')} et ${centimesWords}`;
}
