import { screen, waitFor, within } from '@testing-library/react';

import { meFixture, page, partnerAdminMe, tenantFixture } from '@/testing/data';
import { json, problem, requestsTo, stubFetch, type StubRequest } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const lsp = tenantFixture({ id: 't-lsp', name: 'League of the Scarlet Pimpernel', kind: 'partner', parentId: 't-platform', parentName: 'Classics, Inc.' });
const paris = tenantFixture({ id: 't-paris', name: 'LSP Paris', version: 4 });
const london = tenantFixture({ id: 't-london', name: 'LSP London' });

/** Answers GET /api/tenants like the server: partner options for kind=partner, else `list`. */
function tenantsApi(list: (req: StubRequest) => unknown = () => page([lsp, london, paris])) {
  return (req: StubRequest) => (req.url.searchParams.get('kind') === 'partner' && req.url.searchParams.get('pageSize') === '100' ? json(page([lsp])) : json(list(req)));
}

function listRequests(mock: ReturnType<typeof stubFetch>) {
  return requestsTo(mock, 'GET', '/api/tenants').filter((r) => r.url.searchParams.get('pageSize') !== '100');
}

describe('Tenants page', () => {
  test('lists the tenants with kind, parent and status, each name linking to its page', async () => {
    const fetchMock = stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants': tenantsApi() });
    renderApp('/tenants');

    const table = await screen.findByRole('table', { name: 'Tenants' });
    await within(table).findByRole('link', { name: 'LSP Paris' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4); // the header and three tenants
    expect(within(rows[2]).getByRole('link', { name: 'LSP London' })).toHaveAttribute('href', '/tenants/t-london');
    expect(rows[2]).toHaveTextContent('Customer');
    expect(rows[2]).toHaveTextContent('League of the Scarlet Pimpernel');
    expect(rows[2]).toHaveTextContent('Active');
    expect(within(rows[1]).getByText('Partner')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Actions for LSP Paris' })).toBeInTheDocument();
    expect(screen.getByText('1–3 of 3 tenants')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');

    const [first] = listRequests(fetchMock);
    expect(Object.fromEntries(first.url.searchParams)).toEqual({ sort: 'name', page: '1', pageSize: '25' });
  });

  test('searching puts q in the URL and asks the server again; the back button undoes it', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi((req) => (req.url.searchParams.get('q') === 'paris' ? page([paris]) : page([lsp, london, paris]))),
    });
    const { user } = renderApp('/tenants');
    await screen.findByRole('link', { name: 'LSP London' });

    await user.type(screen.getByRole('searchbox', { name: 'Search tenants' }), 'paris');

    await waitFor(() => expect(new URLSearchParams(window.location.search).get('q')).toBe('paris'));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'LSP London' })).not.toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'LSP Paris' })).toBeInTheDocument();
    expect(listRequests(fetchMock).at(-1)!.url.searchParams.get('q')).toBe('paris');
    // One request per pause in typing, not one per key.
    expect(listRequests(fetchMock).filter((r) => r.url.searchParams.has('q'))).toHaveLength(1);

    window.history.back();
    await screen.findByRole('link', { name: 'LSP London' });
    expect(window.location.search).toBe('');
    expect(screen.getByRole('searchbox', { name: 'Search tenants' })).toHaveValue('');
  });

  test('pages through the list with page in the URL, and filters go back to page 1', async () => {
    const many = Array.from({ length: 25 }, (_, i) => tenantFixture({ id: `t-${i}`, name: `Tenant ${String(i + 1).padStart(2, '0')}` }));
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi((req) =>
        req.url.searchParams.get('page') === '2' ? page([tenantFixture({ id: 't-last', name: 'Tenant 26' })], 26) : page(many, 26),
      ),
    });
    const { user } = renderApp('/tenants');
    expect(await screen.findByText('1–25 of 26 tenants')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Page 2' }));

    expect(await screen.findByRole('link', { name: 'Tenant 26' })).toBeInTheDocument();
    expect(screen.getByText('26–26 of 26 tenants')).toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('page')).toBe('2');
    expect(listRequests(fetchMock).at(-1)!.url.searchParams.get('page')).toBe('2');

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    await screen.findByRole('link', { name: 'Tenant 01' });
    expect(window.location.search).toBe('');

    await user.click(screen.getByRole('button', { name: 'Page 2' }));
    await screen.findByRole('link', { name: 'Tenant 26' });
    await user.click(screen.getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Suspended' }));
    await waitFor(() => expect(Object.fromEntries(new URLSearchParams(window.location.search))).toEqual({ status: 'suspended' }));
    const last = listRequests(fetchMock).at(-1)!.url.searchParams;
    expect([last.get('status'), last.get('page')]).toEqual(['suspended', '1']);
  });

  test('a sortable header sorts, then reverses, through the URL', async () => {
    const fetchMock = stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants': tenantsApi() });
    const { user } = renderApp('/tenants');
    await screen.findByRole('link', { name: 'LSP Paris' });

    await user.click(screen.getByRole('button', { name: 'Status' }));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('sort')).toBe('status'));
    expect(screen.getByRole('columnheader', { name: /Status/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(screen.getByRole('button', { name: 'Status' }));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('sort')).toBe('-status'));
    expect(screen.getByRole('columnheader', { name: /Status/ })).toHaveAttribute('aria-sort', 'descending');
    await waitFor(() => expect(listRequests(fetchMock).at(-1)!.url.searchParams.get('sort')).toBe('-status'));
  });

  test('says so when nothing matches, and offers to clear the search', async () => {
    stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi((req) => (req.url.searchParams.get('q') ? page([]) : page([paris]))),
    });
    const { user } = renderApp('/tenants?q=zzz');

    expect(await screen.findByText('No tenants match')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(await screen.findByRole('link', { name: 'LSP Paris' })).toBeInTheDocument();
    expect(window.location.search).toBe('');
  });

  test('"New tenant" shows the server’s field errors under the fields', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi(),
      'POST /api/tenants': () =>
        problem(409, {
          code: 'name_taken',
          title: 'Conflict',
          detail: 'A tenant with that name already exists.',
          errors: { name: 'is already used' },
        }),
    });
    const { user } = renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'New tenant' }));
    const dialog = await screen.findByRole('dialog', { name: 'New tenant' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'LSP Paris');
    await user.click(within(dialog).getByRole('combobox', { name: 'Parent' }));
    await user.click(await within(dialog).findByRole('option', { name: 'League of the Scarlet Pimpernel' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create tenant' }));

    expect(await within(dialog).findByText('Name is already used')).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveFocus();
    const [post] = requestsTo(fetchMock, 'POST', '/api/tenants');
    expect(post.body).toEqual({ name: 'LSP Paris', kind: 'customer', parentId: 't-lsp' });
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-token-for-tess');
  });

  test('a 400 with errors for several fields shows each under its field', async () => {
    stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi(),
      'POST /api/tenants': () => problem(400, { code: 'invalid', title: 'Bad Request', errors: { name: 'contains control characters', parentId: 'is not a partner in your reach' } }),
    });
    const { user } = renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'New tenant' }));
    const dialog = await screen.findByRole('dialog', { name: 'New tenant' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Bad name');
    await user.click(within(dialog).getByRole('button', { name: 'Create tenant' }));

    expect(await within(dialog).findByText('Name contains control characters')).toBeInTheDocument();
    expect(within(dialog).getByText('Parent is not a partner in your reach')).toBeInTheDocument();
  });

  test('a partner admin creates customers under their own partner: no kind, no parent sent', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(partnerAdminMe()),
      'GET /api/tenants': tenantsApi(() => page([london, paris])),
      'POST /api/tenants': (req) => json(tenantFixture({ id: 't-lyon', name: (req.body as { name: string }).name }), 201),
    });
    const { user } = renderApp('/tenants');
    await screen.findByRole('link', { name: 'LSP Paris' });
    expect(screen.queryByRole('combobox', { name: 'Kind' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Partner' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New tenant' }));
    const dialog = await screen.findByRole('dialog', { name: 'New tenant' });
    expect(within(dialog).queryByRole('radio', { name: /Partner/ })).not.toBeInTheDocument();
    expect(within(dialog).getByText('League of the Scarlet Pimpernel')).toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'LSP Lyon');
    await user.click(within(dialog).getByRole('button', { name: 'Create tenant' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'POST', '/api/tenants')[0].body).toEqual({ name: 'LSP Lyon', kind: 'customer' });
    expect(await screen.findByText('Tenant “LSP Lyon” created.')).toBeInTheDocument();
  });

  test('suspending asks first, then PATCHes the status with the version shown', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi(),
      'PATCH /api/tenants/t-paris': () => json({ ...paris, status: 'suspended', version: 5 }),
    });
    const { user } = renderApp('/tenants');

    await user.click(await screen.findByRole('button', { name: 'Actions for LSP Paris' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Suspend' }));
    const dialog = await screen.findByRole('dialog', { name: 'Suspend LSP Paris?' });
    expect(requestsTo(fetchMock, 'PATCH', '/api/tenants/t-paris')).toHaveLength(0);
    // What else it does: its people are shut out, and live impersonations of the tenant end too.
    expect(dialog).toHaveTextContent('its own people are signed out and cannot sign in');
    expect(dialog).toHaveTextContent('a session impersonating it now ends at its next step');

    await user.click(within(dialog).getByRole('button', { name: 'Suspend tenant' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [patch, ...more] = requestsTo(fetchMock, 'PATCH', '/api/tenants/t-paris');
    expect(more).toHaveLength(0);
    expect(patch.body).toEqual({ version: 4, status: 'suspended' });
    expect(patch.headers.get('X-CSRF-Token')).toBe('csrf-token-for-tess');
    expect(await screen.findByText('LSP Paris is suspended.')).toBeInTheDocument();
  });

  test('cancelling the confirmation changes nothing', async () => {
    const fetchMock = stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants': tenantsApi() });
    const { user } = renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'Actions for LSP Paris' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Suspend' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'PATCH', '/api/tenants/t-paris')).toHaveLength(0);
  });

  test('closing a dialog opened from a row menu gives the focus back to that row’s ⋮ button', async () => {
    stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants': tenantsApi() });
    const { user } = renderApp('/tenants');
    const actions = await screen.findByRole('button', { name: 'Actions for LSP Paris' });

    // By keyboard: open the menu, pick Suspend, then Escape out of the confirmation.
    actions.focus();
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('menuitem', { name: 'Suspend' }));
    await screen.findByRole('dialog', { name: 'Suspend LSP Paris?' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(actions).toHaveFocus());

    // The same for a form dialog, closed with Cancel.
    await user.click(actions);
    await user.click(await screen.findByRole('menuitem', { name: 'Rename' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Rename LSP Paris' })).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(actions).toHaveFocus());
  });

  test('a rename that meets a newer version says so and reloads on request', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': tenantsApi(),
      'GET /api/tenants/t-paris': () => json({ ...paris, name: 'LSP Paris Centre', version: 5 }),
      'PATCH /api/tenants/t-paris': (req) =>
        (req.body as { version: number }).version === 4
          ? problem(409, { code: 'version_conflict', title: 'Conflict', detail: 'Someone else changed this record since you opened it.' })
          : json({ ...paris, name: 'LSP Paris Rive Gauche', version: 6 }),
    });
    const { user } = renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'Actions for LSP Paris' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename LSP Paris' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'LSP Paris Rive Gauche');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Someone else changed this');
    await user.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveValue('LSP Paris Centre'));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();

    await user.clear(within(dialog).getByRole('textbox', { name: 'Name' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'LSP Paris Rive Gauche');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'PATCH', '/api/tenants/t-paris').map((r) => r.body)).toEqual([
      { version: 4, name: 'LSP Paris Rive Gauche' },
      { version: 5, name: 'LSP Paris Rive Gauche' },
    ]);
  });

  test('the actions menu offers only what the role allows', async () => {
    stubFetch({
      'GET /api/me': () => json(meFixture({ permissions: ['tenants:read', 'partners:read', 'impersonation:support'] })),
      // The server offers a Support-only role the Support mode (canImpersonate).
      'GET /api/tenants': tenantsApi(() => page([lsp, london, { ...paris, canImpersonate: { support: true, configure: false } }])),
    });
    const { user } = renderApp('/tenants');
    expect(await screen.findByRole('link', { name: 'LSP Paris' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New tenant' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Actions for LSP Paris' }));
    const items = (await screen.findAllByRole('menuitem')).map((i) => i.textContent);
    expect(items).toEqual(['Open', 'Impersonate & Support']);
  });

  test('the Partners page lists partners only and offers "New partner"', async () => {
    const fetchMock = stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants': tenantsApi(() => page([lsp])) });
    const { user } = renderApp('/partners');

    expect(await screen.findByRole('link', { name: 'League of the Scarlet Pimpernel' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Partners' })).toBeInTheDocument();
    expect(listRequests(fetchMock)[0].url.searchParams.get('kind')).toBe('partner');

    await user.click(screen.getByRole('button', { name: 'New partner' }));
    const dialog = await screen.findByRole('dialog', { name: 'New partner' });
    expect(within(dialog).getByRole('button', { name: 'Create partner' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('combobox', { name: 'Parent' })).not.toBeInTheDocument();
  });
});

describe('Tenant page', () => {
  test('shows the summary and the same actions', async () => {
    stubFetch({ 'GET /api/me': () => json(meFixture()), 'GET /api/tenants/t-paris': () => json(paris) });
    const { user } = renderApp('/tenants/t-paris');

    expect(await screen.findByRole('heading', { level: 1, name: 'LSP Paris' })).toBeInTheDocument();
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(summary).toHaveTextContent('League of the Scarlet Pimpernel');
    expect(summary).toHaveTextContent('t-paris');
    await user.click(screen.getByRole('button', { name: 'Actions for LSP Paris' }));
    expect((await screen.findAllByRole('menuitem')).map((i) => i.textContent)).toEqual(['Rename', 'Suspend', 'Impersonate & Support', 'Impersonate & Configure']);
  });

  test('a tenant out of reach reads as not found', async () => {
    stubFetch({ 'GET /api/me': () => json(meFixture()) });
    renderApp('/tenants/t-nope');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tenant not found' })).toBeInTheDocument();
  });
});
