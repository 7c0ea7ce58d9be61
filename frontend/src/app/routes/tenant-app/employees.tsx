import { useParams } from 'react-router';

import { EmployeesPage } from '@/features/tenant-app/employees/components/employees-page';

/** The tenant's employees, `/t/:tenantId/admin/employees`. */
export function EmployeesRoute() {
  const { tenantId = '' } = useParams();
  return <EmployeesPage key={tenantId} tenantId={tenantId} />;
}
