import { useTranslation } from 'react-i18next';
import type { DiskForecast, RuleId, RuleSetting } from '../../../../src-main/contract';
import { errorMessage } from '../../../api/errors';
import { forecastOutlook } from '../../../components/metrics/forecast-text';
import { formatBytes } from '../../../components/metrics/units';
import { formatDuration } from '../../../components/servers/figures';
import { useMetricsStore } from '../../../stores/metrics-store';

const DAY_MS = 86_400_000;

/** '/' first, then by path. */
const byMount = (a: DiskForecast, b: DiskForecast): number => (a.mount === '/' ? -1 : b.mount === '/' ? 1 : a.mount.localeCompare(b.mount));

function Trend({ forecast }: { forecast: DiskForecast }) {
  const { t, i18n } = useTranslation();
  const growth = forecast.growthBytesPerDay;
  if (growth === null) return <span className="muted">—</span>;
  const amount = `${growth > 0 ? '+' : growth < 0 ? '−' : ''}${formatBytes(Math.abs(growth), i18n.language)}`;
  return <span className="nowrap">{t('metrics.forecast.perDay', { amount })}</span>;
}

/** Per filesystem: its size, its trend and when it will be full at that trend. */
export function DiskForecastCard({ rules }: { rules: Record<RuleId, RuleSetting> }) {
  const { t, i18n } = useTranslation();
  const forecast = useMetricsStore((s) => s.forecast);
  const error = useMetricsStore((s) => s.forecastError);
  const rule = rules.disk_forecast;
  const warnDays = rule.enabled ? rule.threshold : null;
  const language = i18n.language;

  return (
    <section className="card usage-forecast" data-testid="disk-forecast">
      <h2 className="card-title">{t('metrics.forecast.title')}</h2>
      {error ? (
        <p className="muted">{t('metrics.error', { message: errorMessage(error) })}</p>
      ) : forecast === null ? (
        <p className="muted">{t('metrics.loading')}</p>
      ) : forecast.length === 0 ? (
        <p className="muted" data-testid="disk-forecast-none">
          {t('metrics.forecast.none')}
        </p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('metrics.forecast.mount')}</th>
              <th>{t('metrics.forecast.used')}</th>
              <th>{t('metrics.forecast.trend')}</th>
              <th>{t('metrics.forecast.outlook')}</th>
            </tr>
          </thead>
          <tbody>
            {[...forecast].sort(byMount).map((fs) => {
              const outlook = forecastOutlook(fs, warnDays);
              const values = { ...outlook.values, have: formatDuration(fs.historyDays * DAY_MS, language) };
              return (
                <tr key={fs.mount} data-testid="disk-forecast-row" data-mount={fs.mount} data-status={fs.status}>
                  <td>
                    <code>{fs.mount}</code>
                  </td>
                  <td className="nowrap">{t('metrics.forecast.usedOf', { used: formatBytes(fs.usedBytes, language), size: formatBytes(fs.sizeBytes, language) })}</td>
                  <td>
                    <Trend forecast={fs} />
                  </td>
                  <td>
                    <span className={`forecast-outlook forecast-${outlook.level}`} data-testid="disk-forecast-outlook">
                      {t(outlook.key, values)}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
