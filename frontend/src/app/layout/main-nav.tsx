import { NavLink } from '@mantine/core';
import { NavLink as RouterNavLink, useLocation } from 'react-router';

import { paths } from '@/config/paths';

const items = [
  { label: 'Tenants', to: paths.tenants },
  { label: 'Partners', to: paths.partners },
  { label: 'Users', to: paths.users },
  { label: 'Sessions', to: paths.sessions },
  { label: 'Audit', to: paths.audit },
  { label: 'Settings', to: paths.settings },
] as const;

function isActive(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}

/**
 * The console's sections. Each is a real link (keyboard, middle-click, copy address all work);
 * the current one is styled active and carries `aria-current="page"` (react-router's NavLink).
 */
export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <>
      {items.map((item) => (
        <NavLink
          key={item.to}
          component={RouterNavLink}
          to={item.to}
          label={item.label}
          active={isActive(pathname, item.to)}
          onClick={onNavigate}
        />
      ))}
    </>
  );
}
