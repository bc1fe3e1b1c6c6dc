import type { LucideIcon } from 'lucide-react';
import { Archive, HandCoins, Info, Server, Settings, Siren, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { SyncIndicator } from '../pages/sync/SyncIndicator';
import { useSettingsStore } from '../stores/settings-store';
import { Logo } from './Logo';

interface NavItem {
  to: string;
  section: string;
  icon: LucideIcon;
}

const TREASURY: NavItem[] = [
  { to: '/members', section: 'members', icon: Users },
  { to: '/dues', section: 'dues', icon: HandCoins },
];
const OPERATIONS: NavItem[] = [
  { to: '/servers', section: 'servers', icon: Server },
  { to: '/backups', section: 'backups', icon: Archive },
  { to: '/incidents', section: 'incidents', icon: Siren },
];
const APP: NavItem[] = [
  { to: '/settings', section: 'settings', icon: Settings },
  { to: '/about', section: 'about', icon: Info },
];

function NavGroup({ label, items }: { label?: string; items: NavItem[] }) {
  const { t } = useTranslation();
  return (
    <>
      {label ? <div className="nav-section">{label}</div> : null}
      {items.map(({ to, section, icon: Icon }) => (
        <NavLink key={to} to={to} className="nav-link" data-testid={`nav-${section}`}>
          <Icon size={18} />
          {t(`sections.${section}.title`)}
        </NavLink>
      ))}
    </>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const associationName = useSettingsStore((s) => s.settings?.associationName);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <div className="brand">
          <Logo />
          <div className="brand-text">
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-association" title={associationName}>
              {associationName}
            </div>
          </div>
        </div>
        <NavGroup label={t('nav.treasury')} items={TREASURY} />
        <NavGroup label={t('nav.operations')} items={OPERATIONS} />
        <div className="sidebar-spacer" />
        <NavGroup items={APP} />
        <SyncIndicator />
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}
