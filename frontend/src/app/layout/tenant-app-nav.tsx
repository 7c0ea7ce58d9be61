import { Divider, NavLink, Stack, Text } from '@mantine/core';
import { Link, NavLink as RouterNavLink, useLocation } from 'react-router';

import { isActive } from '@/app/layout/main-nav';
import { tenantAppSections } from '@/app/navigation';
import { IconArrowLeft } from '@/components/icons';
import { paths } from '@/config/paths';
import { useCurrentUser } from '@/lib/auth';
import { useCan } from '@/lib/permissions';

/** The tenant's name as the signed-in user knows it: their home, or the tenant they are in. */
export function useTenantName(tenantId: string): string | undefined {
  const me = useCurrentUser();
  if (me.home.id === tenantId) return me.home.name;
  if (me.impersonation?.tenant.id === tenantId) return me.impersonation.tenant.name;
  return undefined;
}

/**
 * The tenant app's navigation: the tenant's name, then its sections in groups (Admin, ACD, …),
 * each shown only to those who may read it.
 */
export function TenantAppNav({ tenantId, onNavigate }: { tenantId: string; onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const can = useCan();
  const name = useTenantName(tenantId);
  const groups = tenantAppSections(tenantId)
    .map((g) => ({ ...g, sections: g.sections.filter((s) => can(s.permission)) }))
    .filter((g) => g.sections.length > 0);
  // Console users (not tenant people, and not while impersonating) can go back to the console.
  const consoleUser = me.home.kind !== 'customer' && !me.impersonation;

  return (
    <Stack gap={4}>
      {consoleUser && (
        <NavLink component={Link} to={paths.home} label="Console" leftSection={<IconArrowLeft size={16} />} onClick={onNavigate} c="dimmed" />
      )}
      <Text fw={700} px="sm" pt="xs" truncate title={name}>
        {name ?? 'Tenant'}
      </Text>
      <Divider my={4} />
      {groups.map((g, i) => (
        <Stack key={g.heading ?? `group-${i}`} gap={0} role="group" aria-label={g.heading} mb="xs">
          {g.heading && (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4} aria-hidden>
              {g.heading}
            </Text>
          )}
          {g.sections.map((s) => (
            <NavLink
              key={s.to}
              component={RouterNavLink}
              to={s.to}
              label={s.label}
              leftSection={s.icon}
              active={isActive(pathname, s.to)}
              onClick={onNavigate}
            />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
