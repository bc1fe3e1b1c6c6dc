/** A sparkline's SVG path: one segment per run of points between gaps, a lone point as a dot-sized segment. */

export interface SparklineGeometry {
  /** The `d` of the line: `M` starts each run, so a gap is never bridged. */
  path: string;
  /** Points with gaps on both sides, drawn as dots. */
  dots: { x: number; y: number }[];
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** `points` spread evenly over `width`, 0–100 % mapped to `height` (top is 100 %). */
export function sparklineGeometry(points: readonly (number | null)[], width: number, height: number, pad = 2): SparklineGeometry {
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const y = (value: number) => round(pad + (1 - Math.min(100, Math.max(0, value)) / 100) * (height - 2 * pad));
  const commands: string[] = [];
  const dots: { x: number; y: number }[] = [];
  points.forEach((value, i) => {
    if (value === null) return;
    const x = round(pad + i * step);
    const before = points[i - 1];
    const after = points[i + 1];
    const startsRun = before === null || before === undefined;
    if (startsRun && (after === null || after === undefined)) dots.push({ x, y: y(value) });
    else commands.push(`${startsRun ? 'M' : 'L'}${x} ${y(value)}`);
  });
  return { path: commands.join(' '), dots };
}
