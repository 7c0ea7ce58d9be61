import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api-schema';
import { tenantResource, type ListResult } from '@/lib/tenant-resource';

/** One of the tenant's people. Roles come as `{id, name}`; they are written as ids. */
export type Employee = components['schemas']['User'];
/** The body of an invitation. */
export type EmployeeCreate = operations['createEmployee']['requestBody']['content']['application/json'];
/** What an edit may change: name, email (until the first sign-in), status, roles. */
export type EmployeePatch = NonNullable<components['requestBodies']['UserPatch']['content']['application/json']>;
/** A role an employee may be given. */
export type TenantRole = components['schemas']['Role'];

/** `/api/tenants/{id}/employees`: DELETE deactivates (people are never erased). */
export const employees = tenantResource<Employee, EmployeeCreate, EmployeePatch>('employees');

/** The roles of the tenant (built-in and custom, up to 100), for the roles picker. */
export function useAssignableRoles(tenantId: string) {
  return useQuery({
    queryKey: ['tenant-app', tenantId, 'roles', 'options'],
    queryFn: ({ signal }) =>
      api.get<ListResult<TenantRole>>(`/api/tenants/${encodeURIComponent(tenantId)}/roles`, { query: { pageSize: 100 }, signal }),
    select: (data) => data.items.map((r) => ({ value: r.id, label: r.name })),
    staleTime: 60_000,
  });
}
