import { Navigate, Outlet, useParams } from 'react-router';

import { consoleSections, tenantAppSections } from '@/app/navigation';
import { NoAccess } from '@/components/no-access';
import { paths } from '@/config/paths';
import { useCurrentUser } from '@/lib/auth';
import { useCan, type PermissionCheck } from '@/lib/permissions';

/**
 * `/`: a tenant's own people go to their tenant app; console users to the first console page
 * they may open.
 */
export function HomeRedirect() {
  const me = useCurrentUser();
  const can = useCan();
  if (me.home.kind === 'customer') return <Navigate to={paths.tenantApp.root(me.home.id)} replace />;
  const first = consoleSections.find((s) => can(s.permission));
  if (!first) return <NoAccess title="Welcome" description="Your role does not include any console page yet. Ask an administrator for access." />;
  return <Navigate to={first.to} replace />;
}

/** The console's pages: a tenant's own people have no console and go to their tenant app. */
export function ConsoleOnly() {
  const me = useCurrentUser();
  if (me.home.kind === 'customer') return <Navigate to={paths.tenantApp.root(me.home.id)} replace />;
  return <Outlet />;
}

/** Renders the page only for holders of `permission`; others learn they have no access. */
export function RequirePermission({ permission }: { permission: PermissionCheck }) {
  const can = useCan();
  const me = useCurrentUser();
  if (can(permission)) return <Outlet />;
  // While impersonating, the session decides (its mode, the tenant), not anyone's role: asking
  // for a role change would mislead.
  if (me.impersonation) {
    return <NoAccess description="Impersonation sessions cannot open this page, whatever your own role allows." />;
  }
  return <NoAccess />;
}

/**
 * The tenant app of `:tenantId`, for the tenant's own people (and, later, for whoever is
 * impersonating it). The server decides in the end; this only avoids a page of refusals.
 */
export function TenantAppGuard() {
  const { tenantId = '' } = useParams();
  const me = useCurrentUser();
  const inside = me.home.id === tenantId || me.impersonation?.tenant.id === tenantId;
  if (!inside) {
    return (
      <NoAccess
        title="No access to this tenant"
        description="You can open a tenant's app only from inside it. Console users step into a tenant by impersonating it from the Tenants page."
      />
    );
  }
  return <Outlet />;
}

/** `/t/:tenantId`: the first section of the tenant app the user may open. */
export function TenantAppIndex() {
  const { tenantId = '' } = useParams();
  const can = useCan();
  const first = tenantAppSections(tenantId)
    .flatMap((g) => g.sections)
    .find((s) => can(s.permission));
  if (!first) return <NoAccess title="Welcome" description="Your role does not include any page of this tenant yet. Ask your administrator for access." />;
  return <Navigate to={first.to} replace />;
}
