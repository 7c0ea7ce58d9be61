import { useParams } from 'react-router';

import { RolesPage } from '@/features/tenant-app/roles/components/roles-page';

/** The tenant's roles, `/t/:tenantId/admin/roles`. */
export function RolesRoute() {
  const { tenantId = '' } = useParams();
  return <RolesPage key={tenantId} tenantId={tenantId} />;
}
