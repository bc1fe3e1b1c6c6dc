import { FileDown, ImageDown } from 'lucide-react';
import { memo, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DotItemDotProps, TooltipContentProps } from 'recharts';
import type { MetricQueryResult, RuleId, RuleSetting } from '../../../../src-main/contract';
import { saveFile } from '../../../api/save-file';
import { blobBase64, chartPng } from '../../../components/metrics/chart-image';
import { chartKeys, type ChartSpec } from '../../../components/metrics/chart-specs';
import { col, hasData, maxValue, seriesCsv, seriesInOrder, thresholdOf, toRows, type Row } from '../../../components/metrics/chart-data';
import { formatMoment, formatWindow, isoDay, timeAxis, type TimeWindow } from '../../../components/metrics/time';
import { formatMetric, formatPercentValue, valueAxis } from '../../../components/metrics/units';
import { useToastStore } from '../../../stores/toast-store';
import { csvFile } from '../../dues/selection-csv';
import { colourOf, useChartColours } from './use-chart-colours';
import { numberFormat } from '../../../i18n/intl-cache';

const HEIGHT = 190;
const MARGIN = { top: 10, right: 12, bottom: 0, left: 0 };
const Y_AXIS_WIDTH = 74;
/** A drag narrower than this is a click, not a zoom. */
const MIN_DRAG_PX = 6;

interface Props {
  spec: ChartSpec;
  result: MetricQueryResult | undefined;
  window: TimeWindow;
  rules: Record<RuleId, RuleSetting>;
  /** For the load rule, whose threshold is per core. */
  cpuCount: number | null;
  serverName: string;
  onZoom: (window: TimeWindow) => void;
}

/** `garage-1-disk-var-2026-03-12`: safe on every file system. */
const fileStem = (...parts: string[]): string =>
  parts
    .join('-')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();

/** Where an alert fires, as a value on this chart's axis, and its label; null when the chart has no such rule. */
function useThreshold(
  spec: ChartSpec,
  result: MetricQueryResult | undefined,
  rules: Record<RuleId, RuleSetting>,
  cpuCount: number | null,
): { value: number; percent: number | null } | null {
  if (!result) return null;
  if (spec.kind === 'load') {
    const load = rules.load_per_core;
    return load.enabled && load.threshold !== null && cpuCount !== null ? { value: load.threshold * cpuCount, percent: null } : null;
  }
  const rule = spec.kind === 'memory' ? rules.memory : spec.kind === 'disk' ? rules.disk_space : null;
  if (!rule?.enabled || rule.threshold === null) return null;
  const [used, other] =
    spec.kind === 'memory'
      ? seriesInOrder(result, ['mem.used', 'mem.available'])
      : seriesInOrder(result, [`fs.used:${spec.subject}`, `fs.avail:${spec.subject}`]);
  const value = thresholdOf(used ?? null, other ?? null, rule.threshold);
  return value === null ? null : { value, percent: rule.threshold };
}

interface TooltipBodyProps {
  active: boolean;
  row: Row | undefined;
  spec: ChartSpec;
  labels: string[];
  colours: string[];
  stepMs: number;
  showBands: boolean;
}

/** The values at the pointer, with their units, and the bucket's min–max when it spans more than one sample. */
function TooltipBody({ active, row, spec, labels, colours, stepMs, showBands }: TooltipBodyProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  if (!active || !row) return null;
  const values = spec.lines.map((_, i) => row[col.v(i)]);
  if (values.every((v) => typeof v !== 'number')) return null;
  const total = values.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
  return (
    <div className="usage-tooltip" data-testid="usage-tooltip">
      <div className="usage-tooltip-time">{formatMoment(row.t, stepMs, language)}</div>
      {spec.lines.map((line, i) => {
        const v = row[col.v(i)];
        if (typeof v !== 'number') return null;
        const band = row[col.band(i)];
        const spread = showBands && Array.isArray(band) && band[0] !== band[1];
        return (
          <div className="usage-tooltip-row" key={line.key}>
            <span className="usage-swatch" style={{ background: colourOf(colours, i) }} />
            <span className="usage-tooltip-name">{labels[i]}</span>
            <span className="usage-tooltip-value" data-testid="usage-tooltip-value">
              {formatMetric(v, spec.unit, language)}
            </span>
            {spread ? (
              <span className="usage-tooltip-spread">
                {t('metrics.tooltip.spread', { min: formatMetric(band[0], spec.unit, language), max: formatMetric(band[1], spec.unit, language) })}
              </span>
            ) : null}
          </div>
        );
      })}
      {spec.stacked && spec.lines.length > 1 ? (
        <div className="usage-tooltip-row usage-tooltip-total">
          <span />
          <span className="usage-tooltip-name">{t('metrics.tooltip.total')}</span>
          <span className="usage-tooltip-value">{formatMetric(total, spec.unit, language)}</span>
        </div>
      ) : null}
    </div>
  );
}

/** Memoised: a page holds a dozen charts, and one answering must not redraw the others. */
export const UsageChart = memo(function UsageChart({ spec, result, window, rules, cpuCount, serverName, onZoom }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const colours = useChartColours();
  const frame = useRef<HTMLDivElement>(null);
  const card = useRef<HTMLElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number; startX: number } | null>(null);
  const pushToast = useToastStore((s) => s.push);

  const keys = chartKeys(spec);
  const drawn = spec.lines.length;
  const series = useMemo(() => (result ? seriesInOrder(result, chartKeys(spec)) : []), [result, spec]);
  const rows = useMemo(() => toRows(series.slice(0, drawn), { stacked: spec.stacked }), [series, drawn, spec.stacked]);
  const threshold = useThreshold(spec, result, rules, cpuCount);
  const withData = hasData(rows, drawn);
  const showBands = !spec.stacked && result !== undefined && result.tier !== 'raw';
  const yAxis = valueAxis(Math.max(maxValue(rows, drawn, spec.stacked), threshold?.value ?? 0), spec.unit, language);
  const xAxis = timeAxis(window.from, window.to, language);
  const title = t(`metrics.charts.${spec.kind}`);
  const labels = spec.lines.map((line) => (line.label ? t(line.label) : line.subject));

  /** The time under the pointer, from the plot area's position (the axis is on the left, margins are fixed). */
  function timeAt(event: ReactMouseEvent): { t: number; x: number } | null {
    const box = frame.current?.getBoundingClientRect();
    if (!box) return null;
    const left = MARGIN.left + Y_AXIS_WIDTH;
    const width = box.width - left - MARGIN.right;
    if (width <= 0) return null;
    const x = event.clientX - box.left;
    const share = Math.min(1, Math.max(0, (x - left) / width));
    return { t: window.from + share * (window.to - window.from), x };
  }

  function endDrag() {
    if (drag && Math.abs(drag.end - drag.start) > 0) {
      const box = frame.current?.getBoundingClientRect();
      const pixels = box ? (Math.abs(drag.end - drag.start) / (window.to - window.from)) * (box.width - Y_AXIS_WIDTH) : 0;
      if (pixels >= MIN_DRAG_PX) onZoom({ from: Math.round(Math.min(drag.start, drag.end)), to: Math.round(Math.max(drag.start, drag.end)) });
    }
    setDrag(null);
  }

  function exportCsv() {
    const text = seriesCsv(series, keys);
    void saveFile(csvFile(`${fileStem(serverName, spec.id, isoDay(window.from))}.csv`, text));
  }

  async function exportPng() {
    if (!card.current) return;
    try {
      const legend = labels.map((label, i) => ({ label, colour: colourOf(colours, i) }));
      const subtitle = `${serverName} · ${formatWindow(window, language)}`;
      const blob = await chartPng(card.current, { title: spec.subject ? `${title} — ${spec.subject}` : title, subtitle, legend });
      await saveFile({ fileName: `${fileStem(serverName, spec.id, isoDay(window.from))}.png`, mimeType: 'image/png', base64: await blobBase64(blob) });
    } catch {
      pushToast({ kind: 'error', title: t('metrics.export.failed') });
    }
  }

  /** Draws only the points with gaps on both sides: a line needs two points, and a lone sample must still show. */
  // A dot renderer runs for every point of a line: only lines with a lone point (gaps on both sides) get one.
  const aloneDot = (i: number) => (rows.some((row) => row[col.alone(i)]) ? drawAloneDot(i) : false);
  const drawAloneDot = (i: number) => (props: DotItemDotProps) => {
    const row = props.payload as Row | undefined;
    if (!row?.[col.alone(i)] || props.cx === undefined || props.cy === undefined) return <g key={props.index} />;
    return <circle key={props.index} cx={props.cx} cy={props.cy} r={2.5} fill={colourOf(colours, i)} stroke="none" className="usage-dot" />;
  };

  return (
    <section className="card usage-chart" ref={card} data-testid="usage-chart" data-chart={spec.id} data-points={rows.length}>
      <header className="usage-chart-head">
        <h3>
          {title}
          {spec.subject ? <span className="usage-chart-subject">{spec.subject}</span> : null}
        </h3>
        <div className="usage-chart-actions">
          <button type="button" className="icon-button" title={t('metrics.export.csvTitle')} aria-label={t('metrics.export.csvTitle')} onClick={exportCsv} disabled={!withData} data-testid="usage-export-csv">
            <FileDown size={15} />
            <span>{t('metrics.export.csv')}</span>
          </button>
          <button type="button" className="icon-button" title={t('metrics.export.pngTitle')} aria-label={t('metrics.export.pngTitle')} onClick={() => void exportPng()} disabled={!withData} data-testid="usage-export-png">
            <ImageDown size={15} />
            <span>{t('metrics.export.png')}</span>
          </button>
        </div>
      </header>
      <ul className="usage-legend">
        {labels.map((label, i) => (
          <li key={spec.lines[i]?.key ?? i}>
            <span className="usage-swatch" style={{ background: colourOf(colours, i) }} />
            {label}
          </li>
        ))}
        {threshold ? (
          <li className="usage-legend-threshold">
            <span className="usage-swatch-dashed" />
            {threshold.percent === null
              ? t('metrics.loadThreshold', { value: numberFormat(language, { maximumFractionDigits: 1 }).format(threshold.value) })
              : t('metrics.threshold', { percent: formatPercentValue(threshold.percent, language, 0) })}
          </li>
        ) : null}
      </ul>
      {!withData ? (
        <div className="usage-chart-empty" data-testid="usage-chart-empty">
          {t('metrics.noData')}
        </div>
      ) : (
        <div
          className={`usage-chart-frame${drag ? ' dragging' : ''}`}
          ref={frame}
          onMouseDown={(event) => {
            if (event.button !== 0) return;
            const at = timeAt(event);
            if (at) setDrag({ start: at.t, end: at.t, startX: at.x });
          }}
          onMouseMove={(event) => {
            if (!drag) return;
            const at = timeAt(event);
            if (at) setDrag({ ...drag, end: at.t });
          }}
          onMouseUp={endDrag}
          onMouseLeave={() => setDrag(null)}
        >
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <ComposedChart data={rows} margin={MARGIN}>
              <CartesianGrid vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                domain={[window.from, window.to]}
                allowDataOverflow
                ticks={xAxis.ticks}
                tickFormatter={xAxis.format}
                tickLine={false}
                axisLine={false}
                minTickGap={12}
              />
              <YAxis ticks={yAxis.ticks} domain={[0, yAxis.top]} tickFormatter={yAxis.format} tickLine={false} axisLine={false} width={Y_AXIS_WIDTH} allowDataOverflow />
              <Tooltip
                content={(props: TooltipContentProps) => (
                  <TooltipBody active={props.active} row={props.payload[0]?.payload as Row | undefined} spec={spec} labels={labels} colours={colours} stepMs={result?.stepMs ?? 0} showBands={showBands} />
                )}
                isAnimationActive={false} cursor={{ className: 'usage-cursor' }} />
              {spec.stacked
                ? spec.lines.map((line, i) => (
                    <Area
                      key={line.key}
                      dataKey={col.stack(i)}
                      name={labels[i]}
                      stroke="none"
                      fill={colourOf(colours, i)}
                      fillOpacity={0.3}
                      connectNulls={false}
                      isAnimationActive={false}
                      activeDot={false}
                      tooltipType="none"
                      className="usage-area"
                    />
                  ))
                : null}
              {/* A range area also strokes its bottom edge: the stack's edges are drawn as lines instead, the top
                  series first, so where a series is zero the one below it keeps its colour. */}
              {spec.stacked
                ? spec.lines
                    .map((line, i) => (
                      <Line
                        key={`${line.key}-top`}
                        dataKey={col.top(i)}
                        name={labels[i]}
                        stroke={colourOf(colours, i)}
                        strokeWidth={1.5}
                        connectNulls={false}
                        isAnimationActive={false}
                        dot={aloneDot(i)}
                        activeDot={false}
                        className="usage-line"
                      />
                    ))
                    .reverse()
                : null}
              {showBands
                ? spec.lines.map((line, i) => (
                    <Area
                      key={`${line.key}-band`}
                      dataKey={col.band(i)}
                      stroke="none"
                      fill={colourOf(colours, i)}
                      fillOpacity={0.16}
                      connectNulls={false}
                      isAnimationActive={false}
                      activeDot={false}
                      tooltipType="none"
                      className="usage-band"
                    />
                  ))
                : null}
              {!spec.stacked
                ? spec.lines.map((line, i) => (
                    <Line
                      key={line.key}
                      dataKey={col.v(i)}
                      name={labels[i]}
                      stroke={colourOf(colours, i)}
                      strokeWidth={1.75}
                      connectNulls={false}
                      isAnimationActive={false}
                      dot={aloneDot(i)}
                      activeDot={{ r: 3.5, fill: colourOf(colours, i), stroke: 'none' }}
                      className="usage-line"
                    />
                  ))
                : null}
              {threshold ? <ReferenceLine y={threshold.value} className="usage-threshold" strokeDasharray="5 4" ifOverflow="extendDomain" /> : null}
              {drag ? <ReferenceArea x1={drag.start} x2={drag.end} className="usage-selection" ifOverflow="hidden" /> : null}
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
});
