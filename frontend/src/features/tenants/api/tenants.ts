import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api-schema';
import type { ListResult } from '@/lib/tenant-resource';

/** A tenant as the console sees it, with the impersonation modes the caller may start. */
export type Tenant = components['schemas']['Tenant'];
/** The list's query: q, kind, status, parentId, sort, page, pageSize. */
export type TenantListQuery = NonNullable<operations['listTenants']['parameters']['query']>;
/** The body of `POST /api/tenants`. */
export type TenantCreate = operations['createTenant']['requestBody']['content']['application/json'];
/** The body of `PATCH /api/tenants/{id}`: the version being changed and what changes. */
export type TenantPatch = operations['updateTenant']['requestBody']['content']['application/json'] & { version: number };

/** Query keys: every tenant query starts with `tenants`, so one invalidation refreshes them all. */
export const tenantKeys = {
  all: ['tenants'] as const,
  list: (query: TenantListQuery) => ['tenants', 'list', query] as const,
  detail: (id: string) => ['tenants', 'detail', id] as const,
  partners: ['tenants', 'partner-options'] as const,
};

const tenantPath = (id: string) => `/api/tenants/${encodeURIComponent(id)}`;

/** A page of the tenants in the caller's reach. The previous page stays shown while the next loads. */
export function useTenants(query: TenantListQuery) {
  return useQuery({
    queryKey: tenantKeys.list(query),
    queryFn: ({ signal }) => api.get<ListResult<Tenant>>('/api/tenants', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Query options for one tenant. */
export const tenantQueryOptions = (id: string) =>
  queryOptions({
    queryKey: tenantKeys.detail(id),
    queryFn: ({ signal }) => api.get<Tenant>(tenantPath(id), { signal }),
  });

/** One tenant in the caller's reach. */
export function useTenant(id: string) {
  return useQuery(tenantQueryOptions(id));
}

/** The partners in reach (up to 100), for the partner filter and the parent picker. */
export function usePartnerOptions(enabled = true) {
  return useQuery({
    queryKey: tenantKeys.partners,
    queryFn: ({ signal }) =>
      api.get<ListResult<Tenant>>('/api/tenants', { query: { kind: 'partner', pageSize: 100, sort: 'name' }, signal }),
    select: (data) => data.items,
    staleTime: 60_000,
    enabled,
  });
}

/** Creates a partner or customer tenant. */
export function useCreateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TenantCreate) => api.post<Tenant>('/api/tenants', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantKeys.all }),
  });
}

/** Renames, suspends or reactivates a tenant; the body names the version being changed. */
export function useUpdateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TenantPatch & { id: string }) => api.patch<Tenant>(tenantPath(id), body),
    onSuccess: (tenant) => {
      queryClient.setQueryData(tenantKeys.detail(tenant.id), tenant);
      return queryClient.invalidateQueries({ queryKey: tenantKeys.all });
    },
  });
}
