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

/** A permission, or a list of which any one will do. */
export type PermissionCheck = Permission | readonly Permission[];

/** Reports whether the caller holds permission p (or, for a list, any one of them). */
export function hasPermission(me: Me, p: PermissionCheck): boolean {
  return typeof p === 'string' ? me.permissions.includes(p) : p.some((one) => me.permissions.includes(one));
}

/**
 * Returns `can(permission)` for the signed-in user; `can([a, b])` holds when either does. Use
 * it inside RequireSession only.
 */
export function useCan(): (p: PermissionCheck) => boolean {
  const me = useCurrentUser();
  return useCallback((p: PermissionCheck) => hasPermission(me, p), [me]);
}
