/**
 * Every path the SPA links to, in one place. Console paths are client-side routes; the
 * `/auth/...` ones belong to the Go server and must be reached by a full page navigation.
 */
export const paths = {
  home: '/',
  tenants: '/tenants',
  partners: '/partners',
  users: '/users',
  sessions: '/sessions',
  audit: '/audit',
  settings: '/settings',
  signedOut: '/signed-out',

  /** The server's sign-in, which comes back to `returnTo` (a same-site relative path) afterwards. */
  login(returnTo?: string): string {
    if (!returnTo) return '/auth/login';
    return `/auth/login?${new URLSearchParams({ return_to: returnTo }).toString()}`;
  },
  logout: '/auth/logout',
} as const;
