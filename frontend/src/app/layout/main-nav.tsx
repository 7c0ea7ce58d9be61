import { NavLink } from '@mantine/core';
import { NavLink as RouterNavLink, useLocation } from 'react-router';

import { consoleSections } from '@/app/navigation';
import { useCan } from '@/lib/permissions';

/** Whether `to` is the current page or one of its sub-pages. */
export function isActive(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}

/**
 * The console's sections the user may open (by the permissions in `/api/me`). Each is a real
 * link (keyboard, middle-click, copy address all work); the current one is styled active and
 * carries `aria-current="page"` (react-router's NavLink).
 */
export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const can = useCan();
  return (
    <>
      {consoleSections
        .filter((s) => can(s.permission))
        .map((item) => (
          <NavLink
            key={item.to}
            component={RouterNavLink}
            to={item.to}
            label={item.label}
            leftSection={item.icon}
            active={isActive(pathname, item.to)}
            onClick={onNavigate}
          />
        ))}
    </>
  );
}
