import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { SessionTimeline } from '@/lib/accountability';
import { api } from '@/lib/api-client';
import type { operations } from '@/lib/api-schema';
import type { ListQuery } from '@/lib/tenant-resource';

type AccessLogList = operations['listAccessLog']['responses'][200]['content']['application/json'];
/** One outside access to the tenant: who, how, why and when. */
export type AccessLogEntry = AccessLogList['items'][number];
/** Outside accesses the signed-in admin has not seen yet, and live sessions right now. */
export type AccessNotice = operations['getAccessNotice']['responses'][200]['content']['application/json'];

const base = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/access-log`;

/** Query keys, under the tenant app's keys for the tenant. */
export const accessLogKeys = {
  all: (tenantId: string) => ['tenant-app', tenantId, 'access-log'] as const,
  list: (tenantId: string, query: ListQuery) => ['tenant-app', tenantId, 'access-log', 'list', query] as const,
  entry: (tenantId: string, sessionId: string) => ['tenant-app', tenantId, 'access-log', 'entry', sessionId] as const,
  notice: (tenantId: string) => ['tenant-app', tenantId, 'access-log', 'notice'] as const,
};

/** A page of the tenant's Access Log, newest first. */
export function useAccessLog(tenantId: string, query: ListQuery) {
  return useQuery({
    queryKey: accessLogKeys.list(tenantId, query),
    queryFn: ({ signal }) => api.get<AccessLogList>(base(tenantId), { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** One outside access and everything done in it, in order. */
export function useAccessLogEntry(tenantId: string, sessionId: string) {
  return useQuery({
    queryKey: accessLogKeys.entry(tenantId, sessionId),
    queryFn: ({ signal }) => api.get<SessionTimeline>(`${base(tenantId)}/${encodeURIComponent(sessionId)}`, { signal }),
  });
}

/** The notice of unseen outside accesses; checked again every minute while the tenant app is open. */
export function useAccessNotice(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: accessLogKeys.notice(tenantId),
    // Checked on a timer on every page of the tenant app: never the person's activity.
    queryFn: ({ signal }) => api.get<AccessNotice>(`${base(tenantId)}/notice`, { signal, background: true }),
    enabled,
    staleTime: 0,
    refetchInterval: 60_000,
  });
}

/** Records that the admin has seen every access so far; the notice is asked for again. */
export function useMarkAccessLogSeen(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>(`${base(tenantId)}/seen`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accessLogKeys.notice(tenantId) }),
  });
}
