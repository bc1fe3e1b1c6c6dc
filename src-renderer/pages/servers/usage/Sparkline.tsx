import { useTranslation } from 'react-i18next';
import { sparklineGeometry } from '../../../components/metrics/sparkline-path';
import { formatPercent } from '../../../components/servers/figures';
import '../../../styles/metrics.css';

const WIDTH = 240;
const HEIGHT = 28;

/** CPU busy % over the last day, on a fleet card: a line per run of samples, gaps left empty, a lone sample as a dot. */
export function Sparkline({ points }: { points: (number | null)[] | undefined }) {
  const { t, i18n } = useTranslation();
  const values = points ?? [];
  const last = [...values].reverse().find((v) => v !== null) ?? null;
  const { path, dots } = sparklineGeometry(values, WIDTH, HEIGHT);
  const label = last === null ? t('metrics.sparkline.empty') : t('metrics.sparkline.title');
  return (
    <div className="sparkline" data-testid="server-sparkline" data-points={values.filter((v) => v !== null).length}>
      <span className="sparkline-label">{t('metrics.sparkline.label')}</span>
      <svg className="sparkline-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
        <line className="sparkline-base" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} vectorEffect="non-scaling-stroke" />
        {path ? <path className="sparkline-line" d={path} vectorEffect="non-scaling-stroke" /> : null}
        {dots.map((dot) => (
          <path key={dot.x} className="sparkline-dot" d={`M${dot.x} ${dot.y}h0`} vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
      <span className="sparkline-value">{last === null ? '—' : formatPercent(last, i18n.language)}</span>
    </div>
  );
}
