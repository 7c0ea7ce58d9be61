import { useState } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';

import { paths } from '@/config/paths';
import { isInsideTenant, landingOf } from '@/features/impersonation/api/impersonation';
import { useCurrentUser } from '@/lib/auth';

/**
 * The route element around every page of the signed-in app. While impersonating, the console
 * is closed: any page outside the impersonated tenant's app opens the session's landing page
 * instead. When the impersonation stops (here or in another tab) the person is taken from the
 * tenant's app back to that tenant's page in the console, where they started.
 */
export function ImpersonationGate() {
  const me = useCurrentUser();
  const { pathname } = useLocation();

  const session = me.impersonation;
  // The tenant of the last impersonation seen in this tab, to leave its app once it stops.
  const [lastTenant, setLastTenant] = useState<string | null>(session?.tenant.id ?? null);
  if (session && session.tenant.id !== lastTenant) setLastTenant(session.tenant.id);

  if (session) {
    if (!isInsideTenant(pathname, session.tenant.id)) return <Navigate to={landingOf(session, me.permissions)} replace />;
  } else if (lastTenant && lastTenant !== me.home.id && isInsideTenant(pathname, lastTenant)) {
    return <Navigate to={paths.tenant(lastTenant)} replace />;
  }
  return <Outlet />;
}
