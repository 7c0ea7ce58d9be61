import { screen, waitFor, within } from '@testing-library/react';

import { documentNavigation } from '@/lib/document-navigation';
import { meFixture } from '@/testing/data';
import { json, noContent, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

function signedIn(overrides = {}) {
  return stubFetch({
    'GET /api/me': () => json(meFixture(overrides)),
    'GET /api/tenants': () => json({ items: [], total: 0 }),
    'POST /auth/logout': () => noContent(),
  });
}

function watchDocumentNavigation() {
  return vi.spyOn(documentNavigation, 'assign').mockImplementation(() => {});
}

describe('console shell', () => {
  test('shows the signed-in user from /api/me, with email and home in the menu', async () => {
    signedIn();
    const { user } = renderApp('/tenants');

    const account = await screen.findByRole('button', { name: 'Tess Morgan' });
    expect(screen.getByRole('banner')).toHaveTextContent('Regent');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tenants' })).toBeInTheDocument();
    expect(document.title).toBe('Tenants · Regent');

    await user.click(account);
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByText('tm-admin@classics.example')).toBeInTheDocument();
    expect(within(menu).getByText(/Classics, Inc\./)).toBeInTheDocument();
    expect(within(menu).getByRole('menuitem', { name: 'Sign out' })).toBeInTheDocument();
  });

  test('redirects / to /tenants', async () => {
    signedIn();
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Tenants' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/tenants');
  });

  test('navigation lists every section as a link and marks the current one', async () => {
    signedIn();
    const { user } = renderApp('/sessions');

    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Tenants', 'Partners', 'Users', 'Sessions', 'Audit', 'Settings']);
    expect(within(nav).getByRole('link', { name: 'Sessions' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Tenants' })).not.toHaveAttribute('aria-current');

    // Keyboard: focus the Audit link and press Enter.
    within(nav).getByRole('link', { name: 'Audit' }).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/audit');
    expect(within(nav).getByRole('link', { name: 'Audit' })).toHaveAttribute('aria-current', 'page');
  });

  test('the first Tab offers a skip link to the main landmark', async () => {
    signedIn();
    const { user } = renderApp('/users');
    await screen.findByRole('heading', { level: 1, name: 'Users' });

    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute('href', '#main-content');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main-content');
  });

  test('deep links to unknown pages show "Page not found" inside the shell', async () => {
    signedIn();
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Tess Morgan' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Tenants' })).toHaveAttribute('href', '/tenants');
  });
});

describe('session', () => {
  test('a 401 from /api/me sends the browser to /auth/login with return_to', async () => {
    stubFetch({ 'GET /api/me': () => problem(401, { code: 'unauthorized', title: 'Not signed in' }) });
    const assign = watchDocumentNavigation();
    renderApp('/audit?actor=u-1');

    await waitFor(() => expect(assign).toHaveBeenCalledWith('/auth/login?return_to=%2Faudit%3Factor%3Du-1'));
    expect(assign).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('status')).toHaveTextContent('Taking you to sign in');
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  test('sign out posts to /auth/logout with the CSRF token and lands on the signed-out page', async () => {
    const fetchMock = signedIn({ csrfToken: 'csrf-123' });
    const assign = watchDocumentNavigation();
    const { user } = renderApp('/partners');

    await user.click(await screen.findByRole('button', { name: 'Tess Morgan' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'You have signed out' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/signed-out');
    const [logout, ...more] = requestsTo(fetchMock, 'POST', '/auth/logout');
    expect(more).toHaveLength(0);
    expect(logout.headers.get('X-CSRF-Token')).toBe('csrf-123');
    expect(logout.credentials).toBe('same-origin');
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');
    expect(screen.queryByText('Tess Morgan')).not.toBeInTheDocument();
    expect(assign).not.toHaveBeenCalled();
  });

  test('a failed sign out says so and keeps the user signed in', async () => {
    stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/tenants': () => json({ items: [], total: 0 }),
      'POST /auth/logout': () => problem(403, { code: 'csrf_failed', title: 'Forbidden', detail: 'The CSRF token is missing or wrong.' }),
    });
    const { user } = renderApp('/tenants');

    await user.click(await screen.findByRole('button', { name: 'Tess Morgan' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Sign out did not complete');
    expect(window.location.pathname).toBe('/tenants');
  });

  test('/signed-out renders without a session', async () => {
    const fetchMock = stubFetch({});
    const assign = watchDocumentNavigation();
    renderApp('/signed-out');

    expect(await screen.findByRole('heading', { level: 1, name: 'You have signed out' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(assign).not.toHaveBeenCalled();
  });

  test('a server error on /api/me shows a friendly message, never the internals', async () => {
    stubFetch({
      'GET /api/me': () =>
        problem(500, { code: 'internal', title: 'Internal Server Error', detail: 'pq: relation "users" does not exist', requestId: 'req-42' }),
    });
    renderApp('/tenants');

    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('Something went wrong on our side');
    expect(alert).toHaveTextContent('req-42');
    expect(alert).not.toHaveTextContent('pq:');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  }, 15_000); // two retries with back-off come first
});
