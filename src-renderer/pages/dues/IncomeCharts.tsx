import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DuesDashboard } from '../../../src-main/contract';
import { moneyTicks } from './chart-ticks';
import { useDuesFormat } from './use-dues-format';
import { numberFormat } from '../../i18n/intl-cache';

interface ChartPoint {
  label: string;
  cents: number;
}

const CHART_HEIGHT = 220;
// Recharts styles its tooltip inline: hand it the theme's variables (inline styles set from script pass the CSP).
const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, color: 'var(--text)' };
const TOOLTIP_ITEM_STYLE = { color: 'var(--text)' };

/** One bar chart; colours come from dues.css so they follow the light or dark theme. */
function IncomeChart({ data, testId }: { data: ChartPoint[]; testId: string }) {
  const { t } = useTranslation();
  const format = useDuesFormat();
  const ticks = moneyTicks(Math.max(0, ...data.map((point) => point.cents)));
  return (
    <div className="dues-chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} />
          <XAxis dataKey="label" tickLine={false} axisLine={false} interval={0} />
          <YAxis ticks={ticks} domain={[0, ticks.at(-1) ?? 0]} tickFormatter={format.compactMoney} tickLine={false} axisLine={false} width={72} />
          <Tooltip
            formatter={(value) => [format.money(Number(value)), t('dues.dashboard.income')]}
            cursor={{ className: 'dues-chart-cursor' }}
            contentStyle={TOOLTIP_STYLE}
            itemStyle={TOOLTIP_ITEM_STYLE}
          />
          <Bar dataKey="cents" radius={[4, 4, 0, 0]} maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function IncomeByMonth({ dashboard }: { dashboard: DuesDashboard }) {
  const { t } = useTranslation();
  const format = useDuesFormat();
  const total = dashboard.incomeByMonth.reduce((sum, month) => sum + month.cents, 0);
  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('dues.dashboard.incomeByMonth', { year: dashboard.year })}</h2>
        <div className="card-figure" data-testid="income-year-total">
          {format.money(total)}
        </div>
      </div>
      {dashboard.incomeByMonth.every((month) => month.cents === 0) ? (
        <p className="muted">{t('dues.dashboard.noPaymentsIn', { year: dashboard.year })}</p>
      ) : (
        <IncomeChart data={dashboard.incomeByMonth.map((m) => ({ label: format.shortMonth(m.month), cents: m.cents }))} testId="chart-by-month" />
      )}
    </section>
  );
}

export function IncomeByYear({ dashboard }: { dashboard: DuesDashboard }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2 className="card-title">{t('dues.dashboard.incomeByYear')}</h2>
      {dashboard.incomeByYear.length === 0 ? (
        <p className="muted">{t('dues.dashboard.noIncome')}</p>
      ) : (
        <IncomeChart data={dashboard.incomeByYear.map((y) => ({ label: String(y.year), cents: y.cents }))} testId="chart-by-year" />
      )}
    </section>
  );
}

export function MethodTotals({ dashboard }: { dashboard: DuesDashboard }) {
  const { t, i18n } = useTranslation();
  const format = useDuesFormat();
  const number = numberFormat(i18n.language);
  const rows = dashboard.totalsByMethod.filter((row) => row.count > 0);
  return (
    <section className="card">
      <h2 className="card-title">{t('dues.dashboard.byMethod', { year: dashboard.year })}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('dues.dashboard.noPaymentsIn', { year: dashboard.year })}</p>
      ) : (
        <table className="ledger" data-testid="totals-by-method">
          <thead>
            <tr>
              <th>{t('dues.dashboard.method')}</th>
              <th className="num">{t('dues.dashboard.paymentCount')}</th>
              <th className="num">{t('dues.dashboard.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.method}>
                <td>{t(`members.methods.${row.method}`)}</td>
                <td className="num">{number.format(row.count)}</td>
                <td className="num">{format.money(row.cents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
