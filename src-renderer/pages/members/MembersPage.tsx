import { FileUp, Search, UserPlus, Users } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuesStatus } from '../../../src-main/contract';
import { DUES_STATUSES } from '../../../src-main/contract/dues';
import { isUnfiltered, useMembersStore } from '../../stores/members-store';
import '../../styles/members.css';
import { MembersTable } from './MembersTable';

/** Typing pauses this long before the list follows: fast enough to feel live, slow enough to skip keystrokes. */
const SEARCH_DELAY_MS = 100;

function EmptyRegister() {
  const { t } = useTranslation();
  return (
    <section className="card empty-state" data-testid="members-empty">
      <div className="empty-icon">
        <Users size={28} />
      </div>
      <h2>{t('members.list.emptyTitle')}</h2>
      <p>{t('members.list.emptyText')}</p>
      <div className="actions">
        <Link className="button" to="/dues/import">
          <FileUp size={16} />
          {t('members.list.emptyImport')}
        </Link>
        <Link className="button primary" to="/members/new">
          <UserPlus size={16} />
          {t('members.list.new')}
        </Link>
      </div>
    </section>
  );
}

function Filters() {
  const { t } = useTranslation();
  const filters = useMembersStore((s) => s.filters);
  const categories = useMembersStore((s) => s.categories);
  const setFilters = useMembersStore((s) => s.setFilters);
  const [query, setQuery] = useState(filters.query);

  useEffect(() => {
    if (query === filters.query) return;
    const timer = window.setTimeout(() => setFilters({ query }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [query, filters.query, setFilters]);

  const toggleStatus = (status: DuesStatus) =>
    setFilters({
      statuses: filters.statuses.includes(status) ? filters.statuses.filter((s) => s !== status) : [...filters.statuses, status],
    });

  return (
    <section className="card members-filters">
      <div className="members-filters-row">
        <div className="search-box">
          <Search size={16} aria-hidden />
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('members.list.searchPlaceholder')}
            aria-label={t('members.list.search')}
            data-testid="members-search"
            autoFocus
          />
        </div>
        <select
          value={filters.categoryId ?? ''}
          onChange={(e) => setFilters({ categoryId: e.target.value === '' ? null : e.target.value })}
          aria-label={t('members.list.category')}
          data-testid="members-category-filter"
        >
          <option value="">{t('members.list.allCategories')}</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={filters.includeDeleted} onChange={(e) => setFilters({ includeDeleted: e.target.checked })} />
          {t('members.list.showDeleted')}
        </label>
      </div>
      <div className="chips" role="group" aria-label={t('members.list.statusFilter')}>
        {DUES_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className={`chip chip-${status}`}
            aria-pressed={filters.statuses.includes(status)}
            onClick={() => toggleStatus(status)}
            data-testid={`status-chip-${status}`}
          >
            {t(`members.status.${status}`)}
          </button>
        ))}
      </div>
    </section>
  );
}

export function MembersPage() {
  const { t } = useTranslation();
  const total = useMembersStore((s) => s.total);
  const filters = useMembersStore((s) => s.filters);
  const watchList = useMembersStore((s) => s.watchList);
  const loadCategories = useMembersStore((s) => s.loadCategories);
  useEffect(() => watchList(), [watchList]);
  useEffect(() => {
    void loadCategories();
  }, [loadCategories]);

  const unfiltered = isUnfiltered(filters);
  const count = total === null ? null : t(unfiltered ? 'members.list.count' : 'members.list.matching', { count: total });

  return (
    <div className="page page-wide members-page">
      <header className="page-header">
        <div>
          <h1>{t('sections.members.title')}</h1>
          <div className="page-subtitle" data-testid="members-count">
            {count ?? t('sections.members.subtitle')}
          </div>
        </div>
        <Link className="button primary" to="/members/new" data-testid="member-new">
          <UserPlus size={16} />
          {t('members.list.new')}
        </Link>
      </header>
      {total === 0 && unfiltered ? (
        <EmptyRegister />
      ) : (
        <>
          <Filters />
          <MembersTable />
        </>
      )}
    </div>
  );
}
