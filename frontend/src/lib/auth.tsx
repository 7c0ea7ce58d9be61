import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';

import { FullPageError } from '@/components/full-page-error';
import { FullPageLoader } from '@/components/full-page-loader';
import { paths } from '@/config/paths';
import { api } from '@/lib/api-client';
import { ApiError, isApiError, isUnauthorized } from '@/lib/api-error';
import type { components } from '@/lib/api-schema';
import { documentNavigation } from '@/lib/document-navigation';
import { meQueryKey } from '@/lib/query-client';

/** The signed-in user, their home, roles, permissions, CSRF token and impersonation. */
export type Me = components['schemas']['Me'];
/** The impersonation session the caller is in, as `/api/me` describes it. */
export type Impersonation = components['schemas']['Impersonation'];

/** Query options for `GET /api/me`. */
export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => api.get<Me>('/api/me', { signal }),
  staleTime: 60_000,
  // Starting or stopping an impersonation replaces the session cookie: a request sent with the
  // old one a moment before answers 401. One quick retry (with the new cookie) tells that apart
  // from a session that is really gone. Other 4xx answers will not change by asking again.
  retry: (failures, error) =>
    error instanceof ApiError && error.status >= 400 && error.status < 500
      ? isUnauthorized(error) && !isApiError(error, 'impersonation_ended') && failures < 1
      : failures < 2,
  retryDelay: (failures) => (failures === 0 ? 300 : 1000 * 2 ** failures),
});

/** Who the caller is. Errors with status 401 when there is no session. */
export function useMe() {
  return useQuery(meQueryOptions);
}

/**
 * The signed-in user, for components rendered inside {@link RequireSession}, which only renders
 * its children once `/api/me` has answered.
 */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser used outside RequireSession');
  return data;
}

/**
 * Sends the browser to the server's sign-in. It is a full page navigation: `/auth/login` is
 * the Go server's, not a client route.
 */
export function redirectToLogin(returnTo: string): void {
  documentNavigation.assign(paths.login(returnTo));
}

/**
 * Renders children only with a session. Without one (401 from `/api/me`), it sends the
 * browser to sign in and back to the page asked for. When the server ended an impersonation
 * (401 `impersonation_ended`), it shows `ended` instead, so the person learns why first.
 */
export function RequireSession({ children, ended }: { children: ReactNode; ended?: (endReason: string | undefined) => ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const impersonationEnded = ended && isApiError(me.error, 'impersonation_ended');
  const unauthorized = isUnauthorized(me.error) && !impersonationEnded;
  const returnTo = location.pathname + location.search;

  useEffect(() => {
    if (unauthorized) redirectToLogin(returnTo);
  }, [unauthorized, returnTo]);

  if (impersonationEnded) {
    const endReason = (me.error as ApiError).problem?.endReason;
    return ended(typeof endReason === 'string' ? endReason : undefined);
  }
  if (unauthorized) return <FullPageLoader label="Taking you to sign in…" />;
  // A failed background refresh keeps the page usable with what we already know.
  if (me.data) return children;
  if (me.isError) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  return <FullPageLoader label="Loading Regent…" />;
}

/**
 * Signs out: `POST /auth/logout` (the API client adds the CSRF token), then the signed-out
 * page, which forgets everything this session loaded. A 401 means the session was already
 * gone, which is just as good. Any other failure leaves the user signed in, with a fresh
 * `/api/me` (and so a fresh CSRF token) for the next try.
 */
export function useSignOut() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>(paths.logout);
      } catch (err) {
        if (!isUnauthorized(err)) throw err;
      }
    },
    onSuccess: () => navigate(paths.signedOut, { replace: true }),
    onError: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}
