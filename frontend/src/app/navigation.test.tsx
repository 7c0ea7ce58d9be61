import { screen, waitFor, within } from '@testing-library/react';

import { meFixture, page, partnerAdminMe, tenantAdminMe } from '@/testing/data';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

function signedInAs(me: ReturnType<typeof meFixture>) {
  return stubFetch({
    'GET /api/me': () => json(me),
    'GET /api/tenants': () => json(page([])),
    'GET /api/users': () => json(page([])),
    'GET /api/tenants/t-paris/employees': () => json(page([])),
    'GET /api/tenants/t-paris/business-units': () => json(page([])),
  });
}

async function navLinks() {
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((l) => l.textContent);
}

describe('navigation by permission', () => {
  test('a partner admin sees no Partners section', async () => {
    signedInAs(partnerAdminMe());
    renderApp('/tenants');
    await screen.findByRole('heading', { level: 1, name: 'Tenants' });
    expect(await navLinks()).toEqual(['Tenants', 'Users', 'Sessions', 'Audit', 'Settings']);
  });

  test('platform support sees Tenants, Partners and (their own) Sessions, and lands on Tenants', async () => {
    signedInAs(meFixture({ permissions: ['impersonation:support', 'partners:read', 'tenants:read'] }));
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tenants' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/tenants');
    expect(await navLinks()).toEqual(['Tenants', 'Partners', 'Sessions']);
  });

  test('`/` opens the first console page the user may see', async () => {
    signedInAs(meFixture({ permissions: ['users:read'] }));
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/users');
  });

  test('a page outside the role says so instead of failing', async () => {
    signedInAs(partnerAdminMe());
    renderApp('/partners');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access' })).toBeInTheDocument();
    expect(screen.getByText(/Your role does not include this page/)).toBeInTheDocument();
  });
});

describe('the tenant app', () => {
  test('a tenant’s own admin is sent from / to their tenant app, with its grouped navigation', async () => {
    signedInAs(tenantAdminMe());
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/admin/employees');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toHaveTextContent('LSP Paris');
    expect(within(within(nav).getByRole('group', { name: 'Admin' })).getAllByRole('link').map((l) => l.textContent)).toEqual(['Employees', 'Roles']);
    expect(within(within(nav).getByRole('group', { name: 'ACD' })).getAllByRole('link').map((l) => l.textContent)).toEqual(['Business Units', 'Skills']);
    expect(await navLinks()).toEqual(['Employees', 'Roles', 'Business Units', 'Skills', 'Branding', 'Contacts', 'Access Log']);
    expect(within(nav).getByRole('link', { name: 'Employees' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).queryByRole('link', { name: 'Tenants' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Console' })).not.toBeInTheDocument();
  });

  test('an agent sees only what they may read, and starts on Business Units', async () => {
    signedInAs(tenantAdminMe({ permissions: ['branding:read', 'business_units:read', 'contacts:read', 'skills:read'] }));
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Business Units' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/acd/business-units');
    expect(await navLinks()).toEqual(['Business Units', 'Skills', 'Branding', 'Contacts']);
    expect(screen.queryByRole('group', { name: 'Admin' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New business unit' })).not.toBeInTheDocument();
  });

  test('a tenant’s people have no console: console pages send them to their tenant app', async () => {
    signedInAs(tenantAdminMe());
    renderApp('/tenants');
    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/admin/employees');
  });

  test('another tenant’s app is out of reach', async () => {
    signedInAs(tenantAdminMe());
    renderApp('/t/t-london/admin/employees');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access to this tenant' })).toBeInTheDocument();
  });

  test('a deep link keeps its search and page', async () => {
    const fetchMock = signedInAs(tenantAdminMe());
    renderApp('/t/t-paris/acd/business-units?q=paris&status=active&page=2&sort=-timeZone');
    await screen.findByRole('heading', { level: 1, name: 'Business Units' });
    expect(screen.getByRole('searchbox', { name: 'Search business units' })).toHaveValue('paris');
    await waitFor(() => {
      const calls = fetchMock.mock.calls.map(([input]) => new URL(String(input), window.location.origin));
      const bu = calls.find((u) => u.pathname === '/api/tenants/t-paris/business-units');
      expect(bu && Object.fromEntries(bu.searchParams)).toEqual({ q: 'paris', status: 'active', page: '2', sort: '-timeZone', pageSize: '25' });
    });
  });
});
