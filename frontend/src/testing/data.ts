import type { Me } from '@/lib/auth';
import type { components } from '@/lib/api-schema';

type Tenant = components['schemas']['Tenant'];
type User = components['schemas']['User'];
type Role = components['schemas']['Role'];

/** TM Admin's permissions (backend/role.go). */
export const tmAdminPermissions = [
  'audit:export',
  'audit:read',
  'impersonation:configure',
  'impersonation:revoke',
  'impersonation:sessions',
  'impersonation:settings',
  'impersonation:support',
  'partners:create',
  'partners:read',
  'partners:update',
  'tenants:create',
  'tenants:read',
  'tenants:suspend',
  'tenants:update',
  'users:manage',
  'users:read',
];

/** Tenant Admin's permissions: every tenant-level one. */
export const tenantAdminPermissions = [
  'access_log:read',
  'branding:manage',
  'branding:read',
  'business_units:manage',
  'business_units:read',
  'contacts:export',
  'contacts:manage',
  'contacts:read',
  'employees:manage',
  'employees:read',
  'roles:manage',
  'roles:read',
  'skills:manage',
  'skills:read',
];

/** An `/api/me` answer for Tess Morgan, the platform's TM Admin; override what a test needs. */
export function meFixture(overrides: Partial<Me> = {}): Me {
  return {
    user: { id: 'u-tess', email: 'tm-admin@classics.example', name: 'Tess Morgan' },
    home: { id: 't-platform', name: 'Classics, Inc.', kind: 'platform' },
    roles: [{ id: 'r-tm-admin', key: 'tm_admin', name: 'TM Admin' }],
    permissions: tmAdminPermissions,
    csrfToken: 'csrf-token-for-tess',
    impersonation: null,
    ...overrides,
  };
}

/** `/api/me` for Percy Blakeney, Partner Admin of the League of the Scarlet Pimpernel. */
export function partnerAdminMe(overrides: Partial<Me> = {}): Me {
  return meFixture({
    user: { id: 'u-percy', email: 'partner-admin@lsp.example', name: 'Percy Blakeney' },
    home: { id: 't-lsp', name: 'League of the Scarlet Pimpernel', kind: 'partner' },
    roles: [{ id: 'r-partner-admin', key: 'partner_admin', name: 'Partner Admin' }],
    permissions: [
      'audit:read',
      'impersonation:configure',
      'impersonation:sessions',
      'impersonation:settings',
      'impersonation:support',
      'tenants:create',
      'tenants:read',
      'tenants:suspend',
      'tenants:update',
      'users:manage',
      'users:read',
    ],
    csrfToken: 'csrf-token-for-percy',
    ...overrides,
  });
}

/** `/api/me` for Armand St. Just, Tenant Admin of LSP Paris (a customer tenant). */
export function tenantAdminMe(overrides: Partial<Me> = {}): Me {
  return meFixture({
    user: { id: 'u-armand', email: 'tenant-admin@paris.lsp.example', name: 'Armand St. Just' },
    home: { id: 't-paris', name: 'LSP Paris', kind: 'customer' },
    roles: [{ id: 'r-tenant-admin', key: 'tenant_admin', name: 'Tenant Admin' }],
    permissions: tenantAdminPermissions,
    csrfToken: 'csrf-token-for-armand',
    ...overrides,
  });
}

const stamp = '2026-11-20T09:30:00Z';

/** A tenant as `GET /api/tenants` lists it. */
export function tenantFixture(overrides: Partial<Tenant> = {}): Tenant {
  return {
    id: 't-paris',
    name: 'LSP Paris',
    kind: 'customer',
    parentId: 't-lsp',
    parentName: 'League of the Scarlet Pimpernel',
    status: 'active',
    createdAt: stamp,
    updatedAt: stamp,
    version: 1,
    canImpersonate: { support: true, configure: true },
    ...overrides,
  };
}

/** A user (console user or employee). */
export function userFixture(overrides: Partial<User> = {}): User {
  return {
    id: 'u-suzanne',
    email: 'agent@paris.lsp.example',
    name: 'Suzanne de Tournay',
    status: 'active',
    home: { id: 't-paris', name: 'LSP Paris', kind: 'customer' },
    roles: [{ id: 'r-agent', key: 'agent', name: 'Agent' }],
    lastLoginAt: null,
    createdAt: stamp,
    updatedAt: stamp,
    version: 1,
    ...overrides,
  };
}

/** A role. */
export function roleFixture(overrides: Partial<Role> = {}): Role {
  return { id: 'r-agent', key: 'agent', name: 'Agent', homeKind: 'customer', builtin: true, permissions: ['contacts:read'], version: 1, ...overrides };
}

/** `{items, total}` as every list answers. */
export function page<T>(items: T[], total = items.length) {
  return { items, total };
}
