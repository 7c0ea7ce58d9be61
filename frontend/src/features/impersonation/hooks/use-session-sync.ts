import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { subscribeToSessionChanges } from '@/features/impersonation/api/impersonation';
import { meQueryOptions } from '@/lib/auth';
import { meQueryKey } from '@/lib/query-client';

/** How often `/api/me` is asked while impersonating, so an end anywhere shows within seconds. */
export const impersonationPollMs = 2000;

/**
 * Keeps this tab's idea of who the person is current: another tab's start or stop (broadcast)
 * makes it ask `/api/me` at once, and while impersonating it also asks every two seconds and
 * whenever the window regains focus, so that a session ended elsewhere (stop in another tab,
 * expiry, revocation, …) shows here within seconds. Mount it once, inside the session.
 */
export function useSessionSync() {
  const queryClient = useQueryClient();
  useQuery({
    ...meQueryOptions,
    refetchInterval: (query) => (query.state.data?.impersonation && query.state.status === 'success' ? impersonationPollMs : false),
    refetchOnWindowFocus: (query) => (query.state.data?.impersonation ? 'always' : true),
  });

  useEffect(
    () => subscribeToSessionChanges(() => void queryClient.invalidateQueries({ queryKey: meQueryKey })),
    [queryClient],
  );
}
