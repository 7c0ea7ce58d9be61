import { useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, type RouteObject } from 'react-router';

import { ConsoleShell } from '@/app/layout/console-shell';
import { RouteError } from '@/app/routes/route-error';
import { FullPageLoader } from '@/components/full-page-loader';
import { paths } from '@/config/paths';
import { RequireSession } from '@/lib/auth';

/**
 * The route tree. Pages load lazily; the console shell (and the session check in front of it)
 * is part of the main bundle because nearly every URL needs it. `/signed-out` is the one page
 * outside the session.
 */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteError fullPage />,
    HydrateFallback: () => <FullPageLoader label="Loading Regent…" />,
    children: [
      {
        path: paths.signedOut,
        lazy: async () => ({ Component: (await import('@/app/routes/signed-out')).SignedOutRoute }),
      },
      {
        element: (
          <RequireSession>
            <ConsoleShell />
          </RequireSession>
        ),
        children: [
          {
            // Errors in a page render inside the shell, so navigation stays usable.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <Navigate to={paths.tenants} replace /> },
              {
                path: paths.tenants,
                lazy: async () => ({ Component: (await import('@/app/routes/console/tenants')).TenantsRoute }),
              },
              {
                path: paths.partners,
                lazy: async () => ({ Component: (await import('@/app/routes/console/partners')).PartnersRoute }),
              },
              {
                path: paths.users,
                lazy: async () => ({ Component: (await import('@/app/routes/console/users')).UsersRoute }),
              },
              {
                path: paths.sessions,
                lazy: async () => ({ Component: (await import('@/app/routes/console/sessions')).SessionsRoute }),
              },
              {
                path: paths.audit,
                lazy: async () => ({ Component: (await import('@/app/routes/console/audit')).AuditRoute }),
              },
              {
                path: paths.settings,
                lazy: async () => ({ Component: (await import('@/app/routes/console/settings')).SettingsRoute }),
              },
              {
                path: '*',
                lazy: async () => ({ Component: (await import('@/app/routes/not-found')).NotFoundRoute }),
              },
            ],
          },
        ],
      },
    ],
  },
];

/** Creates the browser router over {@link routes}. */
export function createAppRouter() {
  return createBrowserRouter(routes);
}

/** Renders the app's router, created once per mount. */
export function AppRouter() {
  const [router] = useState(createAppRouter);
  return <RouterProvider router={router} />;
}
