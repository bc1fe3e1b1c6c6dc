// The fleet overview's small CPU lines: busy % (user + system + steal, as the fleet card's CPU figure) per server.
import type { Sparkline } from '../../contract';
import type { Db } from '../db/open';
import { queryMetrics, type QueryContext } from './query';

const BUSY = ['cpu.user', 'cpu.system', 'cpu.steal'];

export function sparklineOf(db: Db, serverId: string, fromMs: number, toMs: number, points: number, context: QueryContext): Sparkline {
  const stepMs = Math.ceil((toMs - fromMs) / points);
  const result = queryMetrics(db, { serverId, series: BUSY, from: fromMs, to: toMs, maxPoints: points }, context);
  // Re-bucket on a fixed grid so that every server's line spans the same window, holes included.
  const grid: (number | null)[] = Array.from({ length: points }, () => null);
  const parts: number[][] = Array.from({ length: points }, () => [0, 0, 0]);
  result.series.forEach((series, s) => {
    for (const point of series.points) {
      if (point === null || point.t < fromMs) continue;
      const i = Math.min(points - 1, Math.floor((point.t - fromMs) / stepMs));
      const cell = parts[i] as number[];
      cell[s] = Math.max(cell[s] ?? 0, point.v);
      if (s === 0) grid[i] = 0;
    }
  });
  return { serverId, points: grid.map((seen, i) => (seen === null ? null : Math.min(100, (parts[i] as number[]).reduce((a, b) => a + b, 0)))) };
}
