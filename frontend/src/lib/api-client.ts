import type { QueryKey } from '@tanstack/react-query';

import { ApiError } from '@/lib/api-error';
import type { components } from '@/lib/api-schema';
import { meQueryKey, queryClient } from '@/lib/query-client';

type Me = components['schemas']['Me'];

/** Query-string values; `undefined`, `null` and `''` are left out. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/** Options for one request. */
export interface RequestOptions {
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  headers?: HeadersInit;
  signal?: AbortSignal;
  /**
   * A request the page makes on its own (a notice checked on a timer, a list's timed refresh):
   * the server checks it as any other but does not count it as the person's activity, so an
   * unattended tab still reaches the idle timeout.
   */
  background?: boolean;
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The token comes from the cached `/api/me` answer: it is bound to the session, so it changes
// exactly when `/api/me` does.
function csrfToken(): string | undefined {
  return queryClient.getQueryData<Me>(meQueryKey)?.csrfToken;
}

function withQuery(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  if (!qs) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

/**
 * Sends one request to Regent's server (same origin) and returns the parsed JSON body, or
 * `undefined` for 204. Any non-2xx answer is thrown as an {@link ApiError}.
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers = new Headers(options.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  if (options.background) headers.set('X-Regent-Background', '1');
  let body: string | undefined;
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  if (stateChanging.has(method)) {
    const token = csrfToken();
    if (token) headers.set('X-CSRF-Token', token);
  }

  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err; // a cancelled query, not a failure
    throw ApiError.network();
  }

  if (!res.ok) throw await ApiError.fromResponse(res);
  if (res.status === 204 || res.status === 205) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as T;
}

/** Shorthands for {@link request}, one per method. */
export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** Whether a query already holds data, so that fetching it again is a refresh, not a visit. */
export function isRefresh(queryKey: QueryKey): boolean {
  return (queryClient.getQueryState(queryKey)?.dataUpdatedAt ?? 0) > 0;
}
