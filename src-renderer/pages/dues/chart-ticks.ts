/** Roughly this many intervals on a money axis. */
const TARGET_INTERVALS = 4;

/**
 * Y-axis ticks for amounts in cents: 0 up to just above the largest bar, in steps of 1, 2 or 5 × 10ⁿ whole units
 * (1 €, 2 €, 5 €, 10 €…), so every label is a round amount the treasurer reads at a glance.
 */
export function moneyTicks(maxCents: number): number[] {
  const rough = Math.max(maxCents, 1) / TARGET_INTERVALS;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 100)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const top = Math.max(step, Math.ceil(maxCents / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}
