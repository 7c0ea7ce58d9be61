import { Stack } from '@mantine/core';
import { useParams } from 'react-router';

import { TenantMetricsCard } from '@/features/audit/components/tenant-metrics-card';
import { useImpersonationStarter, useResumeAfterReauth } from '@/features/impersonation/hooks/use-impersonation-starter';
import { TenantPolicyCard } from '@/features/settings/components/tenant-policy-card';
import { useTenant } from '@/features/tenants/api/tenants';
import { TenantDetailPage } from '@/features/tenants/components/tenant-detail-page';

/**
 * One tenant's page, `/tenants/:tenantId`. Its actions menu starts impersonations, and
 * `?impersonate=<mode>` (where the sign-in returns after re-authentication) reopens the
 * start dialog.
 */
export function TenantDetailRoute() {
  const { tenantId = '' } = useParams();
  const impersonation = useImpersonationStarter();
  const tenant = useTenant(tenantId);
  useResumeAfterReauth(tenant.data, impersonation.resume);
  return (
    <>
      <TenantDetailPage key={tenantId} tenantId={tenantId} onImpersonate={impersonation.start} />
      {/* The tenant's honest activity figures and its impersonation policy layer, once it is known to be in reach. */}
      {tenant.data && (
        <Stack key={tenantId} gap="lg" mt="lg">
          <TenantMetricsCard tenantId={tenantId} />
          <TenantPolicyCard tenantId={tenantId} tenantName={tenant.data.name} />
        </Stack>
      )}
      {impersonation.dialog}
    </>
  );
}
