import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { ApiError, isUnauthorized } from '@/lib/api-error';

/** The key of the `/api/me` query, whose answer also carries the session's CSRF token. */
export const meQueryKey = ['me'] as const;

// Client errors (4xx) will not change by asking again; network and server errors might.
function retry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * Creates the query client. A 401 from any query or mutation means the session is gone
 * (expired, signed out in another tab, revoked): it refreshes `/api/me`, whose 401 makes the
 * session guard send the browser to sign in. One place decides what "signed out" does.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown, key?: readonly unknown[]) => {
    if (isUnauthorized(error) && key?.[0] !== meQueryKey[0]) {
      void client.invalidateQueries({ queryKey: meQueryKey });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: { retry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
  return client;
}

/** The application's one query client. The API client reads the CSRF token from its cache. */
export const queryClient = createQueryClient();
