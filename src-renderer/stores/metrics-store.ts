import { create } from 'zustand';
import type { ApiError, DiskForecast, MetricQueryResult, Result, SeriesInfo } from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { chartKeys, chartSpecs, type ChartSpec } from '../components/metrics/chart-specs';
import { rangeWindow, type RangeId, type TimeWindow } from '../components/metrics/time';

/** About one bucket per two pixels of a wide chart: finer would not show, coarser would hide spikes between buckets. */
export const MAX_POINTS = 400;
/** The fleet's sparklines: CPU over the last day, in half-hour buckets. */
export const SPARKLINE_HOURS = 24;
export const SPARKLINE_POINTS = 48;
/** A zoom narrower than this is a slip of the mouse: it is ignored. */
export const MIN_ZOOM_MS = 5_000;

interface MetricsState {
  /** The server whose usage is on screen. */
  serverId: string | null;
  /** The series it has stored; null until the first answer. */
  series: SeriesInfo[] | null;
  specs: ChartSpec[];
  range: RangeId;
  /** A narrower window dragged on a chart, until reset or another range is picked. */
  zoom: TimeWindow | null;
  /** Per chart id, the last answer (kept while the next one loads, so nothing flickers). */
  results: Record<string, MetricQueryResult>;
  /** The window on screen: the charts' time axis. Null when no server is open. */
  window: TimeWindow | null;
  loading: boolean;
  /** Why usage could not be read (shown in the section, not as a toast: it would repeat after every sweep). */
  error: ApiError | null;
  forecast: DiskForecast[] | null;
  forecastError: ApiError | null;
  /** CPU busy % per server for the fleet overview; null until the first answer. */
  sparklines: Record<string, (number | null)[]> | null;

  open: (serverId: string) => Promise<void>;
  close: () => void;
  setRange: (range: RangeId) => void;
  zoomTo: (window: TimeWindow) => void;
  resetZoom: () => void;
  /** Reads everything again, the window ending now (unless zoomed): after a sweep. */
  refresh: () => Promise<void>;
  loadSparklines: () => Promise<void>;
}

const value = <T>(result: Result<T>): T | null => (result.ok ? result.value : null);
const failure = <T>(result: Result<T>): ApiError | null => (result.ok ? null : result.error);

export const useMetricsStore = create<MetricsState>((set, get) => {
  let request = 0;

  // A sweep stored new samples, here or in another window: the charts, the forecast and the sparklines follow.
  onEvent('health.updated', ({ serverIds }) => {
    const open = get().serverId;
    if (open && serverIds.includes(open)) void get().refresh();
    if (get().sparklines) void get().loadSparklines();
  });

  async function query(serverId: string, specs: ChartSpec[], window: TimeWindow, current: number): Promise<void> {
    // The window changes with its results, in one render: charts are drawn once per answer, not twice.
    set({ loading: true });
    const answers = await Promise.all(
      specs.map((spec) => call('metrics.query', { serverId, series: chartKeys(spec), from: window.from, to: window.to, maxPoints: MAX_POINTS })),
    );
    if (current !== request) return;
    const error = answers.map(failure).find((e) => e !== null) ?? null;
    const results: Record<string, MetricQueryResult> = {};
    answers.forEach((answer, i) => {
      const spec = specs[i];
      if (answer.ok && spec) results[spec.id] = answer.value;
    });
    set({ results, window, loading: false, error });
  }

  const windowOnScreen = (): TimeWindow => get().zoom ?? rangeWindow(get().range, Date.now());

  return {
    serverId: null,
    series: null,
    specs: [],
    range: '24h',
    zoom: null,
    results: {},
    window: null,
    loading: false,
    error: null,
    forecast: null,
    forecastError: null,
    sparklines: null,

    open: async (serverId) => {
      if (get().serverId !== serverId) {
        set({ serverId, series: null, specs: [], zoom: null, results: {}, window: rangeWindow(get().range, Date.now()), error: null, forecast: null, forecastError: null });
      }
      await get().refresh();
    },

    close: () => {
      request++;
      set({ serverId: null, series: null, specs: [], results: {}, window: null, loading: false, zoom: null });
    },

    setRange: (range) => {
      set({ range, zoom: null });
      const { serverId, specs } = get();
      if (serverId && specs.length > 0) void query(serverId, specs, windowOnScreen(), ++request);
    },

    zoomTo: (window) => {
      if (window.to - window.from < MIN_ZOOM_MS) return;
      set({ zoom: window });
      const { serverId, specs } = get();
      if (serverId && specs.length > 0) void query(serverId, specs, window, ++request);
    },

    resetZoom: () => {
      set({ zoom: null });
      const { serverId, specs } = get();
      if (serverId && specs.length > 0) void query(serverId, specs, windowOnScreen(), ++request);
    },

    refresh: async () => {
      const serverId = get().serverId;
      if (!serverId) return;
      const current = ++request;
      const [series, forecast] = await Promise.all([call('metrics.series', { serverId }), call('metrics.forecast', { serverId })]);
      if (current !== request) return;
      set({ forecast: value(forecast), forecastError: failure(forecast) });
      if (!series.ok) {
        set({ error: series.error, loading: false });
        return;
      }
      const specs = chartSpecs(series.value);
      set({ series: series.value, specs });
      if (specs.length === 0) set({ results: {}, window: windowOnScreen(), error: null, loading: false });
      else await query(serverId, specs, windowOnScreen(), current);
    },

    loadSparklines: async () => {
      const result = await call('metrics.sparklines', { hours: SPARKLINE_HOURS, points: SPARKLINE_POINTS });
      // A fleet without sparklines (metrics not readable) still shows its cards: nothing to tell here.
      if (result.ok) set({ sparklines: Object.fromEntries(result.value.map((s) => [s.serverId, s.points])) });
      else set({ sparklines: {} });
    },
  };
});
