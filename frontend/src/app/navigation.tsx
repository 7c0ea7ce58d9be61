import type { ReactNode } from 'react';

import {
  IconAddressBook,
  IconAdjustments,
  IconBriefcase,
  IconBuilding,
  IconFileSearch,
  IconHeadset,
  IconHistory,
  IconIdBadge,
  IconListDetails,
  IconPalette,
  IconShield,
  IconSitemap,
  IconUsers,
} from '@/components/icons';
import { paths } from '@/config/paths';
import type { PermissionCheck } from '@/lib/permissions';

/** A section of the console or of the tenant app, shown to those holding `permission` (any one of a list). */
export interface Section {
  label: string;
  to: string;
  permission: PermissionCheck;
  icon: ReactNode;
}

/**
 * Who sees Sessions: holders of impersonation:sessions see every session in reach; anyone who
 * may impersonate sees their own.
 */
export const sessionsPermissions: PermissionCheck = ['impersonation:sessions', 'impersonation:support', 'impersonation:configure'];

/** The console's sections, in navigation order. `/` opens the first one the user may see. */
export const consoleSections: Section[] = [
  { label: 'Tenants', to: paths.tenants, permission: 'tenants:read', icon: <IconBuilding /> },
  { label: 'Partners', to: paths.partners, permission: 'partners:read', icon: <IconBriefcase /> },
  { label: 'Users', to: paths.users, permission: 'users:read', icon: <IconUsers /> },
  { label: 'Sessions', to: paths.sessions, permission: sessionsPermissions, icon: <IconHistory /> },
  { label: 'Audit', to: paths.audit, permission: 'audit:read', icon: <IconFileSearch /> },
  { label: 'Settings', to: paths.settings, permission: 'impersonation:settings', icon: <IconAdjustments /> },
];

/** A group of tenant-app sections under a heading (no heading: top level). */
export interface SectionGroup {
  heading?: string;
  sections: Section[];
}

/**
 * The tenant app's sections for one tenant, grouped as its navigation shows them. The tenant
 * app's index opens the first one the user may see.
 */
export function tenantAppSections(tenantId: string): SectionGroup[] {
  const t = paths.tenantApp;
  return [
    {
      heading: 'Admin',
      sections: [
        { label: 'Employees', to: t.employees(tenantId), permission: 'employees:read', icon: <IconIdBadge /> },
        { label: 'Roles', to: t.roles(tenantId), permission: 'roles:read', icon: <IconShield /> },
      ],
    },
    {
      heading: 'ACD',
      sections: [
        { label: 'Business Units', to: t.businessUnits(tenantId), permission: 'business_units:read', icon: <IconSitemap /> },
        { label: 'Skills', to: t.skills(tenantId), permission: 'skills:read', icon: <IconHeadset /> },
      ],
    },
    {
      sections: [
        { label: 'Branding', to: t.branding(tenantId), permission: 'branding:read', icon: <IconPalette /> },
        { label: 'Contacts', to: t.contacts(tenantId), permission: 'contacts:read', icon: <IconAddressBook /> },
        { label: 'Access Log', to: t.accessLog(tenantId), permission: 'access_log:read', icon: <IconListDetails /> },
      ],
    },
  ];
}
