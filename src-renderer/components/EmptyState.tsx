import type { LucideIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';

/** A section that is not built yet says what it will hold, in the user's language. */
export function EmptyState({ icon: Icon, section }: { icon: LucideIcon; section: string }) {
  const { t } = useTranslation();
  const items = t(`sections.${section}.upcoming`, { returnObjects: true }) as string[];
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t(`sections.${section}.title`)}</h1>
          <div className="page-subtitle">{t(`sections.${section}.subtitle`)}</div>
        </div>
      </header>
      <section className="card empty-state" data-testid={`empty-${section}`}>
        <div className="empty-icon">
          <Icon size={28} />
        </div>
        <h2>{t('common.comingSoon')}</h2>
        <p>{t(`sections.${section}.empty`)}</p>
        <ul className="empty-list">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
