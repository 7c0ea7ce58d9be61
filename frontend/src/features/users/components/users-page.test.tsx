import { screen, waitFor, within } from '@testing-library/react';

import { meFixture, page, partnerAdminMe, roleFixture, tenantFixture, userFixture } from '@/testing/data';
import { json, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const lsp = tenantFixture({ id: 't-lsp', name: 'League of the Scarlet Pimpernel', kind: 'partner', parentId: 't-platform', parentName: 'Classics, Inc.' });
const percy = userFixture({
  id: 'u-percy',
  name: 'Percy Blakeney',
  email: 'partner-admin@lsp.example',
  home: { id: 't-lsp', name: 'League of the Scarlet Pimpernel', kind: 'partner' },
  roles: [{ id: 'r-partner-admin', key: 'partner_admin', name: 'Partner Admin' }],
  lastLoginAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
  version: 3,
});
const consoleRoles = [
  roleFixture({ id: 'r-tm-admin', key: 'tm_admin', name: 'TM Admin', homeKind: 'platform' }),
  roleFixture({ id: 'r-support', key: 'support', name: 'Support', homeKind: 'platform' }),
  roleFixture({ id: 'r-partner-admin', key: 'partner_admin', name: 'Partner Admin', homeKind: 'partner' }),
  roleFixture({ id: 'r-partner-support', key: 'partner_support', name: 'Partner Support', homeKind: 'partner' }),
];

function api(me = meFixture(), extra = {}) {
  return stubFetch({
    'GET /api/me': () => json(me),
    'GET /api/users': () => json(page([percy])),
    'GET /api/roles': () => json(page(consoleRoles)),
    'GET /api/tenants': () => json(page([lsp])),
    ...extra,
  });
}

describe('Users page', () => {
  test('lists console users with home, roles, status and last sign-in', async () => {
    api();
    renderApp('/users');
    const row = (await screen.findByText('Percy Blakeney')).closest('tr')!;
    expect(row).toHaveTextContent('partner-admin@lsp.example');
    expect(row).toHaveTextContent('League of the Scarlet Pimpernel');
    expect(row).toHaveTextContent('Partner Admin');
    expect(row).toHaveTextContent('Active');
    expect(row).toHaveTextContent('3 hours ago');
  });

  test('the invite modal offers the roles of the chosen home and sends the invitation', async () => {
    const fetchMock = api(meFixture(), {
      'POST /api/users': () => json(userFixture({ id: 'u-new', name: 'Chauvelin', email: 'chauvelin@lsp.example' }), 201),
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite user' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'chauvelin@lsp.example');
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Chauvelin');

    // The platform is the home at first: platform roles only.
    await user.click(within(dialog).getByRole('combobox', { name: 'Roles' }));
    expect((await within(dialog).findAllByRole('option')).map((o) => o.textContent)).toEqual(['TM Admin', 'Support']);
    await user.keyboard('{Escape}');

    await user.click(within(dialog).getByRole('combobox', { name: 'Home' }));
    await user.click(await within(dialog).findByRole('option', { name: 'League of the Scarlet Pimpernel' }));
    await user.click(within(dialog).getByRole('combobox', { name: 'Roles' }));
    expect((await within(dialog).findAllByRole('option')).map((o) => o.textContent)).toEqual(['Partner Admin', 'Partner Support']);
    await user.click(within(dialog).getByRole('option', { name: 'Partner Support' }));
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'POST', '/api/users')[0].body).toEqual({
      email: 'chauvelin@lsp.example',
      name: 'Chauvelin',
      homeId: 't-lsp',
      roles: ['r-partner-support'],
    });
    expect(await screen.findByText(/Chauvelin is invited/)).toBeInTheDocument();
  });

  test('an email already in use is shown under the email field', async () => {
    api(partnerAdminMe(), {
      'POST /api/users': () =>
        problem(409, { code: 'email_taken', title: 'Conflict', detail: 'Someone with that email address already has an account.', errors: { email: 'is already used' } }),
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Invite user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite user' });
    // A partner admin invites into their own partner: no home to choose.
    expect(within(dialog).queryByRole('combobox', { name: 'Home' })).not.toBeInTheDocument();

    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'agent@paris.lsp.example');
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Suzanne');
    await user.click(within(dialog).getByRole('combobox', { name: 'Roles' }));
    await user.click(await within(dialog).findByRole('option', { name: 'Partner Admin' }));
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    expect(await within(dialog).findByText('Email is already used')).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: 'Email' })).toHaveAttribute('aria-invalid', 'true');
  });

  test('renaming someone sends the name alone: unchanged roles are not given again', async () => {
    // The server takes roles in a PATCH as an assignment, which it refuses on one's own account.
    const fetchMock = api(meFixture(), {
      'PATCH /api/users/u-percy': () => json({ ...percy, name: 'Sir Percy Blakeney', version: 4 }),
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Percy Blakeney' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Percy Blakeney' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Sir Percy Blakeney');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requestsTo(fetchMock, 'PATCH', '/api/users/u-percy')[0].body).toEqual({ version: 3, name: 'Sir Percy Blakeney' });
  });

  test('deactivating asks first and PATCHes the status with the version; refusing yourself is explained', async () => {
    const fetchMock = api(meFixture(), {
      'PATCH /api/users/u-percy': () =>
        problem(403, { code: 'self_lockout', title: 'Forbidden', detail: 'You cannot deactivate yourself or change your own roles. Ask another administrator.' }),
    });
    const { user } = renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Actions for Percy Blakeney' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Percy Blakeney?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate user' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('You cannot change your own access');
    expect(alert).toHaveTextContent('Ask another administrator.');
    expect(requestsTo(fetchMock, 'PATCH', '/api/users/u-percy')[0].body).toEqual({ version: 3, status: 'deactivated' });
  });
});
