import { useMutation, useQueryClient } from '@tanstack/react-query';

import { paths } from '@/config/paths';
import { api } from '@/lib/api-client';
import { isApiError } from '@/lib/api-error';
import type { components, operations } from '@/lib/api-schema';
import { meQueryOptions, type Impersonation } from '@/lib/auth';
import { meQueryKey } from '@/lib/query-client';

/** The two ways into a tenant (product.md 3.2). */
export type ImpersonationMode = Impersonation['mode'];
/** One of the limits a session runs under, as the server names it. */
export type Restriction = Impersonation['restrictions'][number];
/** `POST /api/tenants/{id}/impersonations` answers the session and the page to open. */
export type StartedImpersonation = operations['startImpersonation']['responses'][201]['content']['application/json'];
/** The tenant an impersonation is started on: enough to name it and to know which modes are offered. */
export type ImpersonationTarget = Pick<components['schemas']['Tenant'], 'id' | 'name'> & Partial<Pick<components['schemas']['Tenant'], 'canImpersonate'>>;

/** The mode's name, as the menus and the bar show it. */
export const modeLabel: Record<ImpersonationMode, string> = {
  support: 'Impersonate & Support',
  configure: 'Impersonate & Configure',
};

/**
 * The tenant-app page a session opens on, as the server's `landing` says (backend
 * `regent.Landing`). `/api/me` does not repeat it, so it is derived here for the redirects
 * that keep an impersonating person inside the tenant: Business Units for Configure; for
 * Support, Employees, or Contacts where the session may not read employees (a partner's
 * people are console users, closed to every impersonation).
 */
export function landingOf(session: Pick<Impersonation, 'tenant' | 'mode'>, permissions?: readonly string[]): string {
  if (session.mode === 'configure') return paths.tenantApp.businessUnits(session.tenant.id);
  if (permissions && !permissions.includes('employees:read')) return paths.tenantApp.contacts(session.tenant.id);
  return paths.tenantApp.employees(session.tenant.id);
}

/** Reports whether `pathname` is inside the tenant app of `tenantId`. */
export function isInsideTenant(pathname: string, tenantId: string): boolean {
  const root = paths.tenantApp.root(tenantId);
  return pathname === root || pathname.startsWith(`${root}/`);
}

// ---------------------------------------------------------------------------------------------
// Every tab follows a start or stop made in another: the tab that made it says so on this
// channel, the others ask /api/me again (and the route gate moves them in or out of the tenant).

const channelName = 'regent-session';
const tabId = Math.random().toString(36).slice(2);

/** What one tab tells the others. */
export interface SessionMessage {
  type: 'impersonation-started' | 'impersonation-stopped';
  from: string;
}

/** Tells the other open tabs that this one started or stopped an impersonation. */
export function broadcastSessionChange(type: SessionMessage['type']): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(channelName);
  try {
    channel.postMessage({ type, from: tabId } satisfies SessionMessage);
  } finally {
    channel.close();
  }
}

/** Calls `onChange` when another tab starts or stops an impersonation; returns the unsubscribe. */
export function subscribeToSessionChanges(onChange: (message: SessionMessage) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event: MessageEvent<SessionMessage>) => {
    if (event.data?.from !== tabId) onChange(event.data);
  };
  return () => channel.close();
}

// ---------------------------------------------------------------------------------------------

/**
 * After a start or a stop the caller is someone else: asks `/api/me` again, now, and waits for
 * the answer. Everything else loaded so far was seen as the other identity: it is marked stale
 * (not refetched here: the page on screen is about to be left) so that it is loaded afresh
 * when next shown.
 */
async function refreshMe(queryClient: ReturnType<typeof useQueryClient>): Promise<void> {
  void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0], refetchType: 'none' });
  try {
    await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
  } catch {
    // The session guard deals with a failed /api/me (sign in again, or the ended page).
    await queryClient.invalidateQueries({ queryKey: meQueryKey });
  }
}

/**
 * Starts impersonating a tenant. On success the server has set a fresh session cookie; this
 * reloads `/api/me` (the caller is now the tenant's Impersonated Admin) and tells the other tabs.
 * Opening the landing page is left to the caller.
 */
export function useStartImpersonation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ tenantId, mode, reason }: { tenantId: string; mode: ImpersonationMode; reason: string }) =>
      api.post<StartedImpersonation>(`/api/tenants/${encodeURIComponent(tenantId)}/impersonations`, { mode, reason }),
    onSuccess: async () => {
      await refreshMe(queryClient);
      broadcastSessionChange('impersonation-started');
    },
  });
}

/**
 * Stops the caller's impersonation: `DELETE /api/impersonation`, then `/api/me` again (the
 * caller is themselves once more, with a fresh cookie) and a word to the other tabs. Opening
 * the console is left to the caller.
 */
export function useStopImpersonation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>('/api/impersonation'),
    onSuccess: async () => {
      await refreshMe(queryClient);
      broadcastSessionChange('impersonation-stopped');
    },
    // Already over (stopped in another tab a moment ago): catch up with what the server knows.
    onError: (error) => (isApiError(error, 'not_impersonating') ? refreshMe(queryClient) : undefined),
  });
}
