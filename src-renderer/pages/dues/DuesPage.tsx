import { Upload } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDuesStore } from '../../stores/dues-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import { CategoriesCard } from './CategoriesCard';
import { ExportsCard } from './ExportsCard';
import { IncomeByMonth, IncomeByYear, MethodTotals } from './IncomeCharts';
import { OverdueCard } from './OverdueCard';
import { StatusTiles } from './StatusTiles';

/** The treasurer's dashboard: where the members stand, what came in, who to remind; then categories and exports. */
export function DuesPage() {
  const { t } = useTranslation();
  const { year, dashboard, setYear, loadDashboard } = useDuesStore();

  useEffect(() => {
    void loadDashboard();
  }, [loadDashboard]);

  const currentYear = dashboard ? Number(dashboard.today.slice(0, 4)) : year;
  const years = [...new Set([currentYear, year, ...(dashboard?.incomeByYear.map((y) => y.year) ?? [])])].sort((a, b) => b - a);

  return (
    <div className="page dues-page">
      <header className="page-header">
        <div>
          <h1>{t('sections.dues.title')}</h1>
          <div className="page-subtitle">{t('sections.dues.subtitle')}</div>
        </div>
        <div className="header-actions">
          <div className="field inline-field">
            <label htmlFor="dues-year">{t('dues.dashboard.year')}</label>
            <select id="dues-year" value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="dues-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <Link className="button" to="/dues/import" data-testid="dues-import">
            <Upload size={16} />
            {t('dues.importMembers')}
          </Link>
        </div>
      </header>
      {dashboard ? (
        <>
          <StatusTiles counts={dashboard.counts} />
          <IncomeByMonth dashboard={dashboard} />
          <div className="dues-grid">
            <IncomeByYear dashboard={dashboard} />
            <MethodTotals dashboard={dashboard} />
          </div>
          <OverdueCard dashboard={dashboard} />
        </>
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
      <CategoriesCard />
      <ExportsCard />
    </div>
  );
}
