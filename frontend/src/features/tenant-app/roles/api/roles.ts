import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api-schema';
import { tenantResource } from '@/lib/tenant-resource';

/** A role of the tenant: built-in (read-only) or custom. */
export type Role = components['schemas']['Role'];
/** The body of a new custom role. */
export type RoleCreate = operations['createRole']['requestBody']['content']['application/json'];
/** What an edit of a custom role may change. */
export type RolePatch = Partial<RoleCreate>;

/** `/api/tenants/{id}/roles`: built-in roles answer 403 to changes; an assigned role cannot be deleted. */
export const roles = tenantResource<Role, RoleCreate, RolePatch>('roles');

/** The tenant-level permissions custom roles are built from (`GET /api/permissions`). */
export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permission-catalogue'],
    queryFn: ({ signal }) => api.get<{ tenantPermissions: string[] }>('/api/permissions', { signal }),
    select: (data) => data.tenantPermissions,
    staleTime: Infinity,
  });
}

// What each permission lets a person do, in words.
const labels: Record<string, string> = {
  'employees:read': 'See employees',
  'employees:manage': 'Invite, edit and deactivate employees',
  'roles:read': 'See roles',
  'roles:manage': 'Create, edit and delete custom roles',
  'business_units:read': 'See business units',
  'business_units:manage': 'Create, edit and delete business units',
  'skills:read': 'See skills',
  'skills:manage': 'Create, edit and delete skills',
  'branding:read': 'See branding',
  'branding:manage': 'Edit branding',
  'contacts:read': 'See contacts',
  'contacts:manage': 'Create, edit and delete contacts',
  'contacts:export': 'Export contacts as CSV',
  'access_log:read': 'See the Access Log',
};

const areas: Record<string, string> = {
  employees: 'Employees',
  roles: 'Roles',
  business_units: 'Business units',
  skills: 'Skills',
  branding: 'Branding',
  contacts: 'Contacts',
  access_log: 'Access Log',
};

/** A permission in words, e.g. "Export contacts as CSV"; unknown ones as they are. */
export function permissionLabel(p: string): string {
  return labels[p] ?? p;
}

/** The permissions grouped by what they are about, in catalogue order. */
export function groupPermissions(catalogue: string[]): { area: string; permissions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const p of catalogue) {
    const key = p.split(':')[0];
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups].map(([key, permissions]) => ({ area: areas[key] ?? key, permissions }));
}
