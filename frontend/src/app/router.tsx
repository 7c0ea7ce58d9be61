import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';

import { ConsoleShell } from '@/app/layout/console-shell';
import { sessionsPermissions } from '@/app/navigation';
import { RouteError } from '@/app/routes/route-error';
import { ConsoleOnly, HomeRedirect, RequirePermission, TenantAppGuard, TenantAppIndex } from '@/app/routes/route-guards';
import { FullPageLoader } from '@/components/full-page-loader';
import { paths } from '@/config/paths';
import { ImpersonationEndedPage } from '@/features/impersonation/components/impersonation-ended-page';
import { ImpersonationGate } from '@/features/impersonation/components/impersonation-gate';
import { RequireSession } from '@/lib/auth';
import type { PermissionCheck } from '@/lib/permissions';

/** Routes shown only to holders of `permission` (others get a "no access" page). */
function guarded(permission: PermissionCheck, children: RouteObject[]): RouteObject {
  return { element: <RequirePermission permission={permission} />, children };
}

/**
 * The route tree. Pages load lazily; the shell (and the session check in front of it) is part
 * of the main bundle because nearly every URL needs it. `/signed-out` is the one page outside
 * the session. Console pages are for platform and partner people; `/t/:tenantId/…` is the
 * tenant app.
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
          <RequireSession ended={(endReason) => <ImpersonationEndedPage endReason={endReason} />}>
            <ConsoleShell />
          </RequireSession>
        ),
        children: [
          {
            // Errors in a page render inside the shell, so navigation stays usable.
            errorElement: <RouteError />,
            // While impersonating, only the impersonated tenant's app is open.
            element: <ImpersonationGate />,
            children: [
              { index: true, element: <HomeRedirect /> },
              {
                element: <ConsoleOnly />,
                children: [
                  guarded('tenants:read', [
                    {
                      path: paths.tenants,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/tenants')).TenantsRoute }),
                    },
                    {
                      path: `${paths.tenants}/:tenantId`,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/tenant-detail')).TenantDetailRoute }),
                    },
                  ]),
                  guarded('partners:read', [
                    {
                      path: paths.partners,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/partners')).PartnersRoute }),
                    },
                  ]),
                  guarded('users:read', [
                    {
                      path: paths.users,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/users')).UsersRoute }),
                    },
                  ]),
                  guarded(sessionsPermissions, [
                    {
                      path: paths.sessions,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/sessions')).SessionsRoute }),
                    },
                    {
                      path: `${paths.sessions}/:sessionId`,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/sessions')).SessionDetailRoute }),
                    },
                  ]),
                  guarded('audit:read', [
                    {
                      path: paths.audit,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/audit')).AuditRoute }),
                    },
                  ]),
                  guarded('impersonation:settings', [
                    {
                      path: paths.settings,
                      lazy: async () => ({ Component: (await import('@/app/routes/console/settings')).SettingsRoute }),
                    },
                  ]),
                ],
              },
              {
                path: '/t/:tenantId',
                element: <TenantAppGuard />,
                children: [
                  { index: true, element: <TenantAppIndex /> },
                  guarded('employees:read', [
                    {
                      path: 'admin/employees',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/employees')).EmployeesRoute }),
                    },
                  ]),
                  guarded('roles:read', [
                    {
                      path: 'admin/roles',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/roles')).RolesRoute }),
                    },
                  ]),
                  guarded('business_units:read', [
                    {
                      path: 'acd/business-units',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/business-units')).BusinessUnitsRoute }),
                    },
                  ]),
                  guarded('skills:read', [
                    {
                      path: 'acd/skills',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/skills')).SkillsRoute }),
                    },
                  ]),
                  guarded('branding:read', [
                    {
                      path: 'branding',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/branding')).BrandingRoute }),
                    },
                  ]),
                  guarded('contacts:read', [
                    {
                      path: 'contacts',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/contacts')).ContactsRoute }),
                    },
                  ]),
                  guarded('access_log:read', [
                    {
                      path: 'access-log',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/access-log')).AccessLogRoute }),
                    },
                    {
                      path: 'access-log/:sessionId',
                      lazy: async () => ({ Component: (await import('@/app/routes/tenant-app/access-log')).AccessLogEntryRoute }),
                    },
                  ]),
                ],
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
