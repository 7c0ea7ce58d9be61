import { screen, waitFor, within } from '@testing-library/react';

import { page, roleFixture, tenantAdminMe, userFixture } from '@/testing/data';
import { json, noContent, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const suzanne = userFixture({ version: 2 });
const marie = userFixture({
  id: 'u-marie',
  name: 'Marie Dupont',
  email: 'supervisor@paris.lsp.example',
  status: 'invited',
  roles: [{ id: 'r-supervisor', key: 'supervisor', name: 'Supervisor' }],
});
const tenantRoles = [
  roleFixture({ id: 'r-agent', name: 'Agent' }),
  roleFixture({ id: 'r-supervisor', key: 'supervisor', name: 'Supervisor' }),
  roleFixture({ id: 'r-custom', key: '', name: 'Night shift', builtin: false }),
];

const base = '/api/tenants/t-paris/employees';

function api(extra = {}) {
  return stubFetch({
    'GET /api/me': () => json(tenantAdminMe()),
    [`GET ${base}`]: () => json(page([marie, suzanne])),
    'GET /api/tenants/t-paris/roles': () => json(page(tenantRoles)),
    ...extra,
  });
}

describe('Employees page', () => {
  test('invites an employee with roles, and the list is asked for again', async () => {
    const fetchMock = api({
      [`POST ${base}`]: () => json(userFixture({ id: 'u-nina', name: 'Nina Noir', email: 'nina.noir@paris.lsp.example', status: 'invited' }), 201),
    });
    const { user } = renderApp('/t/t-paris/admin/employees');
    expect(await screen.findByText('Suzanne de Tournay')).toBeInTheDocument();
    const listCalls = requestsTo(fetchMock, 'GET', base).length;

    await user.click(screen.getByRole('button', { name: 'Invite employee' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite employee' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Nina Noir');
    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'nina.noir@paris.lsp.example');
    await user.click(within(dialog).getByRole('combobox', { name: 'Roles' }));
    await user.click(await within(dialog).findByRole('option', { name: 'Agent' }));
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [post] = requestsTo(fetchMock, 'POST', base);
    expect(post.body).toEqual({ name: 'Nina Noir', email: 'nina.noir@paris.lsp.example', roles: ['r-agent'] });
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-token-for-armand');
    await waitFor(() => expect(requestsTo(fetchMock, 'GET', base).length).toBeGreaterThan(listCalls));
    expect(await screen.findByText(/Nina Noir is invited/)).toBeInTheDocument();
  });

  test('a missing name is caught before anything is sent', async () => {
    const fetchMock = api();
    const { user } = renderApp('/t/t-paris/admin/employees');
    await user.click(await screen.findByRole('button', { name: 'Invite employee' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite employee' });
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    expect(await within(dialog).findByText('Name is required')).toBeInTheDocument();
    expect(within(dialog).getByText('Email is required')).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveFocus();
    expect(requestsTo(fetchMock, 'POST', base)).toHaveLength(0);
  });

  test('an edit that meets a newer version says someone else changed it, and Reload brings the latest', async () => {
    const fetchMock = api({
      [`GET ${base}/u-suzanne`]: () => json({ ...suzanne, name: 'Suzanne de Tournay-Blakeney', version: 3 }),
      [`PATCH ${base}/u-suzanne`]: () =>
        problem(409, { code: 'version_conflict', title: 'Conflict', detail: 'Someone else changed this record since you opened it.' }),
    });
    const { user } = renderApp('/t/t-paris/admin/employees');
    await user.click(await screen.findByRole('button', { name: 'Actions for Suzanne de Tournay' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Suzanne de Tournay' });
    // She has signed in: the email is fixed.
    expect(within(dialog).getByRole('textbox', { name: 'Email' })).toHaveAttribute('readonly');

    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Suzanne Blakeney');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Someone else changed this');
    expect(alert).toHaveTextContent('Reload to see the latest version');
    expect(requestsTo(fetchMock, 'PATCH', `${base}/u-suzanne`)[0].body).toEqual({ version: 2, name: 'Suzanne Blakeney' });

    await user.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveValue('Suzanne de Tournay-Blakeney'));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  test('a rename leaves the unchanged roles out, so giving them again is not what the server judges', async () => {
    // Sending the same roles back counts as assigning them: refused on one's own record and,
    // while impersonating, for a role beyond the impersonation's (a Tenant Admin's).
    const fetchMock = api({
      [`PATCH ${base}/u-suzanne`]: () => json({ ...suzanne, name: 'Suzanne Blakeney', version: 3 }),
    });
    const { user } = renderApp('/t/t-paris/admin/employees');
    await user.click(await screen.findByRole('button', { name: 'Actions for Suzanne de Tournay' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Suzanne de Tournay' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Suzanne Blakeney');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'PATCH', `${base}/u-suzanne`)[0].body).toEqual({ version: 2, name: 'Suzanne Blakeney' });
  });

  test('changed roles are sent as the new set', async () => {
    const fetchMock = api({
      [`PATCH ${base}/u-suzanne`]: () => json({ ...suzanne, version: 3 }),
    });
    const { user } = renderApp('/t/t-paris/admin/employees');
    await user.click(await screen.findByRole('button', { name: 'Actions for Suzanne de Tournay' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Suzanne de Tournay' });
    await user.click(within(dialog).getByRole('combobox', { name: 'Roles' }));
    await user.click(await within(dialog).findByRole('option', { name: 'Supervisor' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'PATCH', `${base}/u-suzanne`)[0].body).toEqual({
      version: 2,
      name: 'Suzanne de Tournay',
      roles: ['r-agent', 'r-supervisor'],
    });
  });

  test('deactivating asks first, then DELETEs', async () => {
    const fetchMock = api({ [`DELETE ${base}/u-suzanne`]: () => noContent() });
    const { user } = renderApp('/t/t-paris/admin/employees');
    await user.click(await screen.findByRole('button', { name: 'Actions for Suzanne de Tournay' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Suzanne de Tournay?' });
    expect(requestsTo(fetchMock, 'DELETE', `${base}/u-suzanne`)).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate employee' }));
    await waitFor(() => expect(requestsTo(fetchMock, 'DELETE', `${base}/u-suzanne`)).toHaveLength(1));
  });

  test('without employees:manage there is nothing to change', async () => {
    stubFetch({
      'GET /api/me': () => json(tenantAdminMe({ permissions: ['employees:read', 'roles:read'] })),
      [`GET ${base}`]: () => json(page([suzanne])),
    });
    renderApp('/t/t-paris/admin/employees');
    expect(await screen.findByText('Suzanne de Tournay')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Invite employee' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Actions for Suzanne de Tournay' })).not.toBeInTheDocument();
  });
});
