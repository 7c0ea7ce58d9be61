import { useParams } from 'react-router';

import { BusinessUnitsPage } from '@/features/tenant-app/business-units/components/business-units-page';

/** The tenant's business units, `/t/:tenantId/acd/business-units`. */
export function BusinessUnitsRoute() {
  const { tenantId = '' } = useParams();
  return <BusinessUnitsPage key={tenantId} tenantId={tenantId} />;
}
