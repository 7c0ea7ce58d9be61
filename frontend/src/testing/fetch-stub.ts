import type { Problem } from '@/lib/api-error';

/** A request as a stubbed route sees it. */
export interface StubRequest {
  method: string;
  url: URL;
  headers: Headers;
  credentials?: RequestCredentials;
  body: unknown;
}

/** Answers one stubbed route. */
export type StubHandler = (req: StubRequest) => Response | Promise<Response>;

/**
 * Replaces `fetch` for one test with a table of routes keyed by "METHOD /path" (no query
 * string). Unknown routes answer 404 problem+json. Returns the mock to inspect calls.
 */
export function stubFetch(routes: Record<string, StubHandler>) {
  const mock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const url = new URL(String(input), window.location.origin);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return problem(404, { code: 'not_found', title: 'Not Found' });
    return handler({
      method,
      url,
      headers: new Headers(init.headers),
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** The requests made to one route so far. */
export function requestsTo(mock: ReturnType<typeof stubFetch>, method: string, pathname: string): StubRequest[] {
  return mock.mock.calls
    .map(([input, init = {}]) => ({
      method: (init.method ?? 'GET').toUpperCase(),
      url: new URL(String(input), window.location.origin),
      headers: new Headers(init.headers),
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }))
    .filter((r) => r.method === method && r.url.pathname === pathname);
}

/** A JSON answer. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A problem+json answer, as Regent's server writes it. */
export function problem(status: number, fields: Partial<Problem> & Record<string, unknown>): Response {
  const body = { type: 'about:blank', title: 'Error', status, ...fields };
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
}

/** A 204 answer. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
