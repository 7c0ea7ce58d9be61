import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { ImpersonationSession, SessionTimeline } from '@/lib/accountability';
import { api, isRefresh } from '@/lib/api-client';
import type { components } from '@/lib/api-schema';
import type { ListResult } from '@/lib/tenant-resource';

type Tenant = components['schemas']['Tenant'];

/** The session list's query. `active` unset lists every session. */
export interface SessionListQuery {
  active?: boolean;
  tenantId?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** Query keys: every session query starts with `sessions`, so one invalidation refreshes them all. */
export const sessionKeys = {
  all: ['sessions'] as const,
  list: (query: SessionListQuery) => ['sessions', 'list', query] as const,
  timeline: (id: string) => ['sessions', 'timeline', id] as const,
  tenants: ['sessions', 'tenant-options'] as const,
};

/**
 * A page of impersonation sessions, newest first: every session in reach for holders of
 * impersonation:sessions, the caller's own otherwise. Live lists refresh on their own.
 */
export function useSessions(query: SessionListQuery) {
  return useQuery({
    queryKey: sessionKeys.list(query),
    // The timed refresh is not the person's activity; opening the page or changing a filter is.
    queryFn: ({ signal, queryKey }) =>
      api.get<ListResult<ImpersonationSession>>('/api/impersonations', { query: { ...query }, signal, background: isRefresh(queryKey) }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** A session and everything done in it, in order. */
export function useSessionTimeline(id: string) {
  return useQuery({
    queryKey: sessionKeys.timeline(id),
    queryFn: ({ signal }) => api.get<SessionTimeline>(`/api/impersonations/${encodeURIComponent(id)}`, { signal }),
  });
}

/** The tenants in reach (first 100 by name), for the tenant filter. */
export function useSessionTenantOptions(enabled: boolean) {
  return useQuery({
    queryKey: sessionKeys.tenants,
    queryFn: ({ signal }) => api.get<ListResult<Tenant>>('/api/tenants', { query: { pageSize: 100, sort: 'name' }, signal }),
    select: (data) => data.items,
    staleTime: 60_000,
    enabled,
  });
}

/** Ends someone's session now (impersonation:revoke). Revoking an ended session does nothing. */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<void>(`/api/impersonations/${encodeURIComponent(id)}/revoke`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

/** Ends every live session, or every live session of one tenant; answers how many ended. */
export function useRevokeAllSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tenantId?: string) =>
      api.post<{ revoked: number }>('/api/impersonations/revoke-all', undefined, { query: { tenantId } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
