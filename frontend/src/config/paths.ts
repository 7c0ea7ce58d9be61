/**
 * Every path the SPA links to, in one place. Console paths are client-side routes; the
 * `/auth/...` ones belong to the Go server and must be reached by a full page navigation.
 */
export const paths = {
  home: '/',
  tenants: '/tenants',
  tenant: (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}`,
  partners: '/partners',
  users: '/users',
  sessions: '/sessions',
  session: (sessionId: string) => `/sessions/${encodeURIComponent(sessionId)}`,
  audit: '/audit',
  settings: '/settings',
  signedOut: '/signed-out',

  /** The tenant app: one tenant seen from inside, as its own administrator sees it. */
  tenantApp: {
    root: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}`,
    employees: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/admin/employees`,
    roles: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/admin/roles`,
    businessUnits: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/acd/business-units`,
    skills: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/acd/skills`,
    branding: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/branding`,
    contacts: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/contacts`,
    accessLog: (tenantId: string) => `/t/${encodeURIComponent(tenantId)}/access-log`,
    accessLogEntry: (tenantId: string, sessionId: string) =>
      `/t/${encodeURIComponent(tenantId)}/access-log/${encodeURIComponent(sessionId)}`,
  },

  /** The server's CSV export of a tenant's contacts: a plain download, not a client route. */
  contactsExport: (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/contacts/export?format=csv`,

  /** The server's sign-in, which comes back to `returnTo` (a same-site relative path) afterwards. */
  login(returnTo?: string): string {
    if (!returnTo) return '/auth/login';
    return `/auth/login?${new URLSearchParams({ return_to: returnTo }).toString()}`;
  },
  logout: '/auth/logout',
} as const;
