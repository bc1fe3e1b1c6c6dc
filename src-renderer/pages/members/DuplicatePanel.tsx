import { TriangleAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateMatch } from '../../../src-main/contract';

/** Existing members that look like the one being entered, each a link to check before going on. */
export function DuplicatePanel({ matches, title, children }: { matches: DuplicateMatch[]; title: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="notice warning" role="alert" data-testid="duplicate-panel">
      <TriangleAlert size={18} className="notice-icon" />
      <div className="notice-body">
        <div className="notice-title">{title}</div>
        <ul className="duplicate-list">
          {matches.map((match) => (
            <li key={`${match.id}-${match.reason}`}>
              <Link to={`/members/${match.id}`}>
                {t('members.duplicates.match', { number: match.number, name: match.displayName })}
              </Link>
              <span className="duplicate-reason">{t(`members.duplicates.reasons.${match.reason}`)}</span>
            </li>
          ))}
        </ul>
        {children}
      </div>
    </section>
  );
}
