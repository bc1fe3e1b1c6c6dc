import { ChartLine, ZoomOut } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerDetail } from '../../../../src-main/contract';
import { errorMessage } from '../../../api/errors';
import { formatWindow, RANGE_IDS } from '../../../components/metrics/time';
import { useMetricsStore } from '../../../stores/metrics-store';
import '../../../styles/metrics.css';
import { DiskForecastCard } from './DiskForecastCard';
import { UsageChart } from './UsageChart';

/** The server page's charts: a range picker, one chart per kind of usage, drag to zoom, and the disk-full forecast. */
export function ResourceUsage({ detail }: { detail: ServerDetail }) {
  const { t, i18n } = useTranslation();
  const serverId = detail.server.id;
  const series = useMetricsStore((s) => (s.serverId === serverId ? s.series : null));
  const specs = useMetricsStore((s) => s.specs);
  const results = useMetricsStore((s) => s.results);
  const answered = useMetricsStore((s) => s.window);
  const range = useMetricsStore((s) => s.range);
  const zoom = useMetricsStore((s) => s.zoom);
  const loading = useMetricsStore((s) => s.loading);
  const error = useMetricsStore((s) => s.error);
  const { open, close, setRange, zoomTo, resetZoom } = useMetricsStore.getState();

  useEffect(() => {
    void open(serverId);
    return close;
  }, [serverId, open, close]);

  const shown = answered;
  const tiers = [...new Set(Object.values(results).map((r) => r.tier))].join(' ');

  return (
    <section
      className="usage-section"
      data-testid="resource-usage"
      data-range={zoom ? 'zoom' : range}
      data-from={shown?.from}
      data-to={shown?.to}
      data-tier={tiers}
      data-loading={loading}
    >
      <div className="usage-section-head">
        <h2>{t('metrics.title')}</h2>
        {specs.length > 0 ? (
          <div className="chips" role="group" aria-label={t('metrics.range.label')}>
            {RANGE_IDS.map((id) => (
              <button key={id} type="button" className="chip" aria-pressed={range === id && zoom === null} onClick={() => setRange(id)} data-testid={`usage-range-${id}`}>
                {t(`metrics.range.${id}`)}
              </button>
            ))}
          </div>
        ) : null}
        <div className="usage-zoom">
          {zoom ? (
            <>
              <span className="muted" data-testid="usage-zoomed">
                {t('metrics.zoomed', { window: formatWindow(zoom, i18n.language) })}
              </span>
              <button type="button" className="button small" onClick={resetZoom} data-testid="usage-reset-zoom">
                <ZoomOut size={14} />
                {t('metrics.resetZoom')}
              </button>
            </>
          ) : specs.length > 0 ? (
            <span className="muted">{t('metrics.zoomHint')}</span>
          ) : null}
        </div>
      </div>

      {error ? (
        <div className="notice" role="status" data-testid="usage-error">
          <div className="notice-body">
            <p className="notice-text">{t('metrics.error', { message: errorMessage(error) })}</p>
          </div>
        </div>
      ) : series === null || shown === null ? (
        <div className="card muted">{t('metrics.loading')}</div>
      ) : specs.length === 0 ? (
        <section className="card empty-state usage-empty" data-testid="usage-empty">
          <div className="empty-icon">
            <ChartLine size={28} />
          </div>
          <h2>{t('metrics.empty.title')}</h2>
          <p>{t('metrics.empty.text')}</p>
        </section>
      ) : (
        <div className="usage-grid">
          {specs.map((spec) => (
            <UsageChart key={spec.id} spec={spec} result={results[spec.id]} window={shown} rules={detail.rules} cpuCount={detail.summary.cpuCount} serverName={detail.server.name} onZoom={zoomTo} />
          ))}
        </div>
      )}

      <DiskForecastCard rules={detail.rules} />
    </section>
  );
}
