import type { Me } from '@/lib/auth';

/** An `/api/me` answer for Tess Morgan, the platform's TM Admin; override what a test needs. */
export function meFixture(overrides: Partial<Me> = {}): Me {
  return {
    user: { id: 'u-tess', email: 'tm-admin@classics.example', name: 'Tess Morgan' },
    home: { id: 't-platform', name: 'Classics, Inc.', kind: 'platform' },
    roles: [{ id: 'r-tm-admin', key: 'tm_admin', name: 'TM Admin' }],
    permissions: ['tenants.read', 'tenants.write'],
    csrfToken: 'csrf-token-for-tess',
    impersonation: null,
    ...overrides,
  };
}
