import { api, isRefresh } from '@/lib/api-client';
import { ApiError, isApiError } from '@/lib/api-error';
import { meQueryKey, queryClient } from '@/lib/query-client';
import { meFixture } from '@/testing/data';
import { json, noContent, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';

describe('api client', () => {
  test('turns a problem+json answer into an ApiError with code, errors and request id', async () => {
    stubFetch({
      'POST /api/tenants': () =>
        problem(400, {
          code: 'invalid',
          title: 'Invalid input',
          detail: 'Some fields need attention.',
          requestId: 'req-7',
          errors: { name: 'A tenant with this name already exists.', kind: 'Choose partner or customer.' },
        }),
    });

    const err = await api.post('/api/tenants', { name: 'LSP Paris' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(isApiError(err, 'invalid')).toBe(true);
    const apiErr = err as ApiError;
    expect(apiErr.status).toBe(400);
    expect(apiErr.code).toBe('invalid');
    expect(apiErr.title).toBe('Invalid input');
    expect(apiErr.detail).toBe('Some fields need attention.');
    expect(apiErr.requestId).toBe('req-7');
    expect(apiErr.errors).toEqual({
      name: 'A tenant with this name already exists.',
      kind: 'Choose partner or customer.',
    });
  });

  test('keeps extension members of the problem, such as loginUrl', async () => {
    stubFetch({
      'POST /api/tenants/t1/impersonations': () =>
        problem(403, { code: 'reauth_required', title: 'Sign in again', loginUrl: '/auth/login?max_age=0' }),
    });

    const err = (await api.post('/api/tenants/t1/impersonations', {}).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('reauth_required');
    expect(err.errors).toEqual({});
    expect(err.problem?.loginUrl).toBe('/auth/login?max_age=0');
  });

  test('sends the cached CSRF token on state-changing requests only, same-origin, with a JSON body', async () => {
    queryClient.setQueryData(meQueryKey, meFixture({ csrfToken: 'tok-1' }));
    const fetchMock = stubFetch({
      'GET /api/tenants': () => json({ items: [], total: 0 }),
      'PATCH /api/tenants/t1': () => json({ id: 't1' }),
      'DELETE /api/impersonation': () => noContent(),
    });

    expect(await api.get('/api/tenants', { query: { q: 'lsp', page: 2, status: undefined } })).toEqual({ items: [], total: 0 });
    expect(await api.patch('/api/tenants/t1', { name: 'New' })).toEqual({ id: 't1' });
    expect(await api.delete('/api/impersonation')).toBeUndefined();

    const [get] = requestsTo(fetchMock, 'GET', '/api/tenants');
    expect(get.url.search).toBe('?q=lsp&page=2');
    expect(get.headers.has('X-CSRF-Token')).toBe(false);
    expect(get.credentials).toBe('same-origin');

    const [patch] = requestsTo(fetchMock, 'PATCH', '/api/tenants/t1');
    expect(patch.headers.get('X-CSRF-Token')).toBe('tok-1');
    expect(patch.headers.get('Content-Type')).toBe('application/json');
    expect(patch.body).toEqual({ name: 'New' });
    expect(patch.credentials).toBe('same-origin');

    const [del] = requestsTo(fetchMock, 'DELETE', '/api/impersonation');
    expect(del.headers.get('X-CSRF-Token')).toBe('tok-1');
  });

  test('a request the page makes on its own says so, and only then', async () => {
    const fetchMock = stubFetch({ 'GET /api/impersonations': () => json({ items: [], total: 0 }) });
    await api.get('/api/impersonations');
    await api.get('/api/impersonations', { background: true });
    const [visit, refresh] = requestsTo(fetchMock, 'GET', '/api/impersonations');
    expect(visit.headers.has('X-Regent-Background')).toBe(false);
    expect(refresh.headers.get('X-Regent-Background')).toBe('1');

    expect(isRefresh(['sessions', 'list', { page: 1 }])).toBe(false);
    queryClient.setQueryData(['sessions', 'list', { page: 1 }], { items: [], total: 0 });
    expect(isRefresh(['sessions', 'list', { page: 1 }])).toBe(true);
  });

  test('an error page that is not a problem document still yields a coded ApiError', async () => {
    stubFetch({
      'GET /api/tenants': () =>
        new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }),
    });

    const err = (await api.get('/api/tenants').catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('internal');
  });

  test('a request that gets no answer is a network_error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const err = (await api.get('/api/me').catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });
});
