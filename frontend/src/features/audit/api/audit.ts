import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import type { AuditEvent } from '@/lib/accountability';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api-schema';
import type { ListResult } from '@/lib/tenant-resource';

/** The audit list's filters; each lives in the page's URL under the same name. */
export interface AuditFilters {
  tenantId?: string;
  /** Exact, or a prefix ending in a dot ("impersonation."). */
  action?: string;
  sessionId?: string;
  actorId?: string;
}

/** A page of the trail, newest first; `nextCursor` asks for the older ones. */
export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

/** Tenant metrics: the tenant's own activity, and impersonated activity counted apart. */
export type TenantMetrics = operations['getTenantMetrics']['responses'][200]['content']['application/json'];

type Tenant = components['schemas']['Tenant'];

/** Events per page. */
export const auditPageSize = 50;

/** Query keys of the audit feature. */
export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => ['audit', 'list', filters] as const,
  tenants: ['audit', 'tenant-options'] as const,
  metrics: (tenantId: string) => ['audit', 'metrics', tenantId] as const,
};

/** The trail under the filters, page by page ("Load more" fetches the next, older page). */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/api/audit', { query: { ...filters, cursor: pageParam, limit: auditPageSize }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The tenants in reach (first 100 by name), for the tenant filter and to name tenants in rows. */
export function useAuditTenantOptions() {
  return useQuery({
    queryKey: auditKeys.tenants,
    queryFn: ({ signal }) => api.get<ListResult<Tenant>>('/api/tenants', { query: { pageSize: 100, sort: 'name' }, signal }),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

/**
 * The address of the server's streamed export under the filters: a plain download link, so the
 * browser saves the file as it arrives, whatever its size.
 */
export function auditExportUrl(format: 'csv' | 'jsonl', filters: AuditFilters): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filters)) {
    if (value) params.set(key, value);
  }
  return `/api/audit/export?${params.toString()}`;
}

/** A tenant's honest activity figures. */
export function useTenantMetrics(tenantId: string) {
  return useQuery({
    queryKey: auditKeys.metrics(tenantId),
    queryFn: ({ signal }) => api.get<TenantMetrics>(`/api/tenants/${encodeURIComponent(tenantId)}/metrics`, { signal }),
  });
}
