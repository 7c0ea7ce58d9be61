import { useCallback } from 'react';

import { useCurrentUser, type Me } from '@/lib/auth';

/**
 * The permission catalogue, as `/api/me` lists it (backend/permission.go). The server decides;
 * the UI only uses these to hide what would be refused anyway.
 */
export type Permission =
  // Console: the account tree and its people.
  | 'tenants:read'
  | 'tenants:create'
  | 'tenants:update'
  | 'tenants:suspend'
  | 'partners:read'
  | 'partners:create'
  | 'partners:update'
  | 'users:read'
  | 'users:manage'
  | 'impersonation:support'
  | 'impersonation:configure'
  | 'impersonation:settings'
  | 'impersonation:sessions'
  | 'impersonation:revoke'
  | 'audit:read'
  | 'audit:export'
  // Tenant app: inside one tenant.
  | 'employees:read'
  | 'employees:manage'
  | 'roles:read'
  | 'roles:manage'
  | 'business_units:read'
  | 'business_units:manage'
  | 'skills:read'
  | 'skills:manage'
  | 'branding:read'
  | 'branding:manage'
  | 'contacts:read'
  | 'contacts:manage'
  | 'contacts:export'
  | 'access_log:read';

/** Reports whether the caller holds permission p. */
export function hasPermission(me: Me, p: Permission): boolean {
  return me.permissions.includes(p);
}

/**
 * Returns `can(permission)` for the signed-in user. Use it inside RequireSession only.
 */
export function useCan(): (p: Permission) => boolean {
  const me = useCurrentUser();
  return useCallback((p: Permission) => hasPermission(me, p), [me]);
}
