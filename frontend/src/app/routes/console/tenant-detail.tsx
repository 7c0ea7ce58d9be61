import { useParams } from 'react-router';

import { TenantDetailPage } from '@/features/tenants/components/tenant-detail-page';

/** One tenant's page, `/tenants/:tenantId`. */
export function TenantDetailRoute() {
  const { tenantId = '' } = useParams();
  return <TenantDetailPage key={tenantId} tenantId={tenantId} />;
}
