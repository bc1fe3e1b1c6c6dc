import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MemberRow, MemberSort } from '../../../src-main/contract';
import { MEMBER_SORTS } from '../../../src-main/contract/members';
import { formatDate } from '../../components/members/format';
import { StatusBadge } from '../../components/members/StatusBadge';
import { PAGE_SIZE, useMembersStore } from '../../stores/members-store';

const ROW_HEIGHT = 40;

function Row({ row }: { row: MemberRow }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <span className="cell cell-number">{row.number}</span>
      <span className="cell cell-name">
        <span className="cell-text">{row.displayName || t('members.detail.erasedName', { number: row.number })}</span>
        {row.deleted ? <span className="tag">{t('members.list.deleted')}</span> : null}
      </span>
      <span className="cell" title={row.email}>
        {row.email}
      </span>
      <span className="cell" title={row.city}>
        {row.city}
      </span>
      <span className="cell" title={row.categoryName ?? undefined}>
        {row.categoryName}
      </span>
      <span className="cell">
        <StatusBadge status={row.status} />
      </span>
      <span className="cell">{row.paidUntil ? formatDate(row.paidUntil, i18n.language) : ''}</span>
    </>
  );
}

/**
 * The members list: only the rows on screen are in the DOM, and rows are fetched by pages as they scroll into view,
 * so 100,000 members scroll as smoothly as 10.
 */
export function MembersTable() {
  const { t } = useTranslation();
  const total = useMembersStore((s) => s.total) ?? 0;
  const pages = useMembersStore((s) => s.pages);
  const filters = useMembersStore((s) => s.filters);
  const toggleSort = useMembersStore((s) => s.toggleSort);
  const showRows = useMembersStore((s) => s.showRows);
  const scrollRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser's values are read during render only
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) showRows(first, last);
  }, [first, last, total, showRows]);

  // New filters or sort: back to the top of the new list.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filters]);

  return (
    <section className="card members-table" data-testid="members-table">
      <div className="members-grid members-head">
        {MEMBER_SORTS.map((sort: MemberSort) => {
          const active = filters.sort === sort;
          const Arrow = filters.direction === 'asc' ? ArrowUp : ArrowDown;
          return (
            <button
              key={sort}
              type="button"
              className={active ? 'sort-button active' : 'sort-button'}
              onClick={() => toggleSort(sort)}
              aria-pressed={active}
              data-testid={`sort-${sort}`}
            >
              {t(`members.columns.${sort}`)}
              {active ? <Arrow size={14} /> : null}
            </button>
          );
        })}
      </div>
      <div className="members-scroll" ref={scrollRef}>
        <div className="members-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE_SIZE))?.[item.index % PAGE_SIZE];
            const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
            return row ? (
              <Link
                key={row.id}
                to={`/members/${row.id}`}
                className={row.deleted ? 'members-grid members-row deleted' : 'members-grid members-row'}
                style={style}
                data-testid="member-row"
              >
                <Row row={row} />
              </Link>
            ) : (
              <div key={`loading-${item.index}`} className="members-grid members-row placeholder" style={style} aria-hidden>
                <span className="skeleton" />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
