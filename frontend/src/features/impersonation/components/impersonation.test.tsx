import { screen, waitFor, within } from '@testing-library/react';

import type { Impersonation, Me } from '@/lib/auth';
import { documentNavigation } from '@/lib/document-navigation';
import { meFixture, page, tenantFixture } from '@/testing/data';
import { json, noContent, problem, requestsTo, stubFetch, type StubHandler } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const minute = 60_000;

/** Sam Ortiz (platform Support) as himself. */
function samMe(overrides: Partial<Me> = {}): Me {
  return meFixture({
    user: { id: 'u-sam', email: 'support@classics.example', name: 'Sam Ortiz' },
    roles: [{ id: 'r-support', key: 'support', name: 'Support' }],
    permissions: ['impersonation:support', 'partners:read', 'tenants:read'],
    csrfToken: 'csrf-token-for-sam',
    ...overrides,
  });
}

function sessionFixture(overrides: Partial<Impersonation> = {}): Impersonation {
  const now = Date.now();
  return {
    id: 'imp-7f3a',
    tenant: { id: 't-paris', name: 'LSP Paris' },
    mode: 'support',
    principal: { name: 'Impersonated Admin' },
    actor: { id: 'u-sam', email: 'support@classics.example', name: 'Sam Ortiz' },
    startedAt: new Date(now - 5 * minute).toISOString(),
    expiresAt: new Date(now + 42 * minute + 30_000).toISOString(),
    idleTimeoutSeconds: 900,
    lastActivityAt: new Date(now).toISOString(),
    reason: 'Ticket SUP-1234: employee cannot sign in',
    restrictions: ['mask_personal_data', 'export_disabled', 'bound_to_footprint', 'tenant_admins_notified'],
    active: true,
    endedAt: null,
    endReason: '',
    ...overrides,
  };
}

/** Sam while impersonating LSP Paris: the mode's tenant permissions, no roles, home unchanged. */
function impersonatingMe(session = sessionFixture()): Me {
  return samMe({
    roles: [],
    permissions:
      session.mode === 'support'
        ? ['branding:read', 'business_units:read', 'contacts:manage', 'contacts:read', 'employees:manage', 'employees:read', 'roles:read', 'skills:read']
        : ['branding:manage', 'branding:read', 'business_units:manage', 'business_units:read', 'contacts:read', 'employees:read', 'roles:read', 'skills:manage', 'skills:read'],
    impersonation: session,
  });
}

const paris = tenantFixture({ id: 't-paris', name: 'LSP Paris' });

/** The tenant app's collections, empty, for whichever page opens. */
const tenantApp: Record<string, StubHandler> = {
  'GET /api/tenants/t-paris/employees': () => json(page([])),
  'GET /api/tenants/t-paris/roles': () => json(page([])),
  'GET /api/tenants/t-paris/business-units': () => json(page([])),
  'GET /api/tenants/t-paris/skills': () => json(page([])),
  'GET /api/tenants/t-paris/contacts': () => json(page([])),
};

/** A server whose idea of the caller can change mid-test (`server.me = …`). */
function server(me: Me, routes: Record<string, StubHandler> = {}) {
  const state = { me: me as Me | (() => Response) };
  const fetchMock = stubFetch({
    'GET /api/me': () => (typeof state.me === 'function' ? state.me() : json(state.me)),
    'GET /api/tenants': () => json(page([paris])),
    'GET /api/tenants/t-paris': () => json(paris),
    ...tenantApp,
    ...routes,
  });
  return { state, fetchMock };
}

function ended(endReason: string) {
  return () => problem(401, { code: 'impersonation_ended', title: 'Unauthorized', detail: 'Your impersonation session has ended.', endReason });
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('the impersonation bar', () => {
  test('shows who is impersonated on which tenant, the mode, the actor and the time left', async () => {
    server(impersonatingMe());
    renderApp('/t/t-paris/admin/employees');

    const bar = await screen.findByRole('region', { name: 'Impersonation' });
    expect(within(bar).getByText('You are currently impersonating Impersonated Admin on tenant LSP Paris')).toBeInTheDocument();
    expect(within(bar).getByText('Impersonate & Support')).toBeInTheDocument();
    expect(within(bar).getByText('by Sam Ortiz')).toBeInTheDocument();
    expect(bar).toHaveTextContent(/Time left 42:(29|30)/);
    // Screen readers hear the minutes, politely, not every second.
    expect(within(bar).getByText('43 minutes left')).toHaveAttribute('aria-live', 'polite');
    expect(within(bar).getByRole('button', { name: 'Stop impersonating' })).toBeInTheDocument();
    // The bar sits in the header, above the page, and the tenant app's navigation is shown.
    expect(screen.getByRole('banner')).toContainElement(bar);
    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toHaveTextContent('LSP Paris');
    expect(within(nav).queryByRole('link', { name: 'Console' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Tenants' })).not.toBeInTheDocument();
  });

  test('warns when the idle timeout is near, long before "Time left" runs out', async () => {
    // 13 of 15 idle minutes gone: reading a page makes no request, and the session is about to end.
    server(impersonatingMe(sessionFixture({ lastActivityAt: new Date(Date.now() - 13 * minute - 30_000).toISOString() })));
    renderApp('/t/t-paris/admin/employees');
    const bar = await screen.findByRole('region', { name: 'Impersonation' });
    expect(bar).toHaveTextContent(/Time left 42:(29|30)/);
    const warning = within(bar).getByRole('status');
    expect(warning).toHaveTextContent(/the session ends in 01:(29|30) unless you open a page or save a change/);
    expect(warning).toHaveTextContent('The session ends in less than two minutes without activity.');
  });

  test('the minimised bar still warns of the idle timeout', async () => {
    server(impersonatingMe(sessionFixture({ lastActivityAt: new Date(Date.now() - 13 * minute - 30_000).toISOString() })));
    const { user } = renderApp('/t/t-paris/admin/employees');
    const bar = await screen.findByRole('region', { name: 'Impersonation' });
    await user.click(within(bar).getByRole('button', { name: 'Minimise impersonation bar' }));
    const floating = await screen.findByRole('region', { name: 'Impersonation' });
    expect(within(floating).getByRole('button', { name: 'Show impersonation bar' })).toBeInTheDocument();
    expect(within(floating).getByRole('status')).toHaveTextContent(/Idle: ends in 01:(29|30)/);
  });

  test('says nothing of the idle timeout while it is far off', async () => {
    server(impersonatingMe(sessionFixture({ lastActivityAt: new Date(Date.now() - 5 * minute).toISOString() })));
    renderApp('/t/t-paris/admin/employees');
    const bar = await screen.findByRole('region', { name: 'Impersonation' });
    expect(bar).toHaveTextContent(/Time left/);
    expect(bar).not.toHaveTextContent('No activity');
  });

  test('switches between standard, detailed and minimised, and remembers the choice', async () => {
    server(impersonatingMe());
    const { user, unmount } = renderApp('/t/t-paris/admin/employees');
    const bar = await screen.findByRole('region', { name: 'Impersonation' });

    const details = within(bar).getByRole('button', { name: 'Details' });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    expect(within(bar).queryByText('Ticket SUP-1234: employee cannot sign in')).not.toBeInTheDocument();

    await user.click(details);
    expect(details).toHaveAttribute('aria-expanded', 'true');
    expect(within(bar).getByText('Ticket SUP-1234: employee cannot sign in')).toBeInTheDocument();
    expect(within(bar).getByText('imp-7f3a')).toBeInTheDocument();
    expect(within(bar).getByText('Started')).toBeInTheDocument();
    expect(within(bar).getByText('Contacts’ email addresses and phone numbers are masked.')).toBeInTheDocument();
    expect(within(bar).getByText('Exports are switched off.')).toBeInTheDocument();
    expect(localStorage.getItem('regent.impersonation-bar.view')).toBe('detailed');

    await user.click(within(bar).getByRole('button', { name: 'Minimise impersonation bar' }));
    const restore = await screen.findByRole('button', { name: 'Show impersonation bar' });
    expect(restore).toHaveAttribute('aria-expanded', 'false');
    expect(restore).toHaveFocus();
    expect(screen.queryByText(/You are currently impersonating/)).not.toBeInTheDocument();
    expect(localStorage.getItem('regent.impersonation-bar.view')).toBe('minimised');

    // A reload keeps it minimised.
    unmount();
    renderApp('/t/t-paris/admin/roles');
    const again = await screen.findByRole('button', { name: 'Show impersonation bar' });
    expect(screen.queryByText(/You are currently impersonating/)).not.toBeInTheDocument();

    await user.click(again);
    expect(await screen.findByText('You are currently impersonating Impersonated Admin on tenant LSP Paris')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Minimise impersonation bar' })).toHaveFocus();
    expect(localStorage.getItem('regent.impersonation-bar.view')).toBe('standard');
  });

  test('Stop ends the session and goes back to the tenant’s page in the console', async () => {
    const { state, fetchMock } = server(impersonatingMe(), {
      'DELETE /api/impersonation': () => {
        state.me = samMe();
        return noContent();
      },
    });
    const { user } = renderApp('/t/t-paris/contacts');
    const bar = await screen.findByRole('region', { name: 'Impersonation' });

    await user.click(within(bar).getByRole('button', { name: 'Stop impersonating' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'LSP Paris' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/tenants/t-paris');
    expect(screen.queryByRole('region', { name: 'Impersonation' })).not.toBeInTheDocument();
    const [stop, ...more] = requestsTo(fetchMock, 'DELETE', '/api/impersonation');
    expect(more).toHaveLength(0);
    expect(stop.headers.get('X-CSRF-Token')).toBe('csrf-token-for-sam');
    // The console is back.
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Tenants' })).toBeInTheDocument();
  });

  test('a stop in another tab is followed here: this tab leaves the tenant', async () => {
    const { state } = server(impersonatingMe());
    renderApp('/t/t-paris/admin/employees');
    await screen.findByRole('region', { name: 'Impersonation' });

    state.me = samMe();
    // What the other tab says when it stops (the polling would notice too, within 2 s).
    const other = new BroadcastChannel('regent-session');
    other.postMessage({ type: 'impersonation-stopped', from: 'another-tab' });
    other.close();

    await waitFor(() => expect(window.location.pathname).toBe('/tenants/t-paris'));
    expect(screen.queryByRole('region', { name: 'Impersonation' })).not.toBeInTheDocument();
  });

  test('while impersonating, /api/me is asked every two seconds, so an end anywhere shows here', async () => {
    const { state, fetchMock } = server(impersonatingMe());
    renderApp('/t/t-paris/admin/employees');
    await screen.findByRole('region', { name: 'Impersonation' });
    const before = requestsTo(fetchMock, 'GET', '/api/me').length;

    state.me = ended('revoked');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your impersonation session has ended' }, { timeout: 5000 })).toBeInTheDocument();
    expect(requestsTo(fetchMock, 'GET', '/api/me').length).toBeGreaterThan(before);
  });
});

describe('while impersonating, the console is closed', () => {
  test.each([['/tenants'], ['/users'], ['/'], ['/tenants/t-london'], ['/t/t-london/admin/employees']])('%s opens the landing page instead', async (url) => {
    server(impersonatingMe());
    renderApp(url);

    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/admin/employees');
    expect(screen.getByRole('region', { name: 'Impersonation' })).toBeInTheDocument();
  });

  test('a Configure session lands on Business Units, with the navigation its permissions allow', async () => {
    server(impersonatingMe(sessionFixture({ mode: 'configure' })));
    renderApp('/tenants');

    expect(await screen.findByRole('heading', { level: 1, name: 'Business Units' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/acd/business-units');
    expect(screen.getByText('Impersonate & Configure')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Employees', 'Roles', 'Business Units', 'Skills', 'Branding', 'Contacts']);
  });

  test('the Access Log, closed to every impersonation, says so instead of sending one to ask for a role', async () => {
    server(impersonatingMe());
    renderApp('/t/t-paris/access-log');
    expect(await screen.findByText('You cannot open this page')).toBeInTheDocument();
    expect(screen.getByText(/Impersonation sessions cannot open this page/)).toBeInTheDocument();
    expect(screen.queryByText(/ask an administrator to change your role/i)).not.toBeInTheDocument();
  });

  test('pages inside the impersonated tenant stay where they are', async () => {
    server(impersonatingMe());
    renderApp('/t/t-paris/contacts?q=anne');
    expect(await screen.findByRole('heading', { level: 1, name: 'Contacts' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/t/t-paris/contacts?q=anne');
  });
});

describe('when the server ends the session', () => {
  const reasons: [string, string][] = [
    ['expired', 'It ended because it reached its time limit.'],
    ['idle_timeout', 'It ended because it was idle too long.'],
    ['revoked', 'It ended because a TM Admin ended it.'],
    ['footprint_changed', 'It ended because it was used from another browser or network.'],
    ['grant_changed', 'It ended because your permissions changed.'],
    ['policy_changed', 'It ended because impersonation was switched off by policy.'],
  ];

  test.each(reasons)('%s: the ended page says why, and offers to continue as oneself', async (endReason, why) => {
    server(samMe(), { 'GET /api/me': ended(endReason) });
    const assign = vi.spyOn(documentNavigation, 'assign').mockImplementation(() => {});
    const { user } = renderApp('/t/t-paris/admin/employees');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your impersonation session has ended' })).toBeInTheDocument();
    expect(screen.getByText(why)).toBeInTheDocument();
    // Not sent off to sign in before the person has read it.
    expect(assign).not.toHaveBeenCalled();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Continue as yourself' }));
    expect(assign).toHaveBeenCalledWith('/auth/login?return_to=%2Ftenants');
  });

  test('any call answering impersonation_ended brings up the ended page', async () => {
    const { state } = server(impersonatingMe(), {
      'GET /api/tenants/t-paris/contacts': () => {
        state.me = ended('footprint_changed');
        return ended('footprint_changed')();
      },
    });
    const assign = vi.spyOn(documentNavigation, 'assign').mockImplementation(() => {});
    const { user } = renderApp('/t/t-paris/admin/employees');
    await screen.findByRole('heading', { level: 1, name: 'Employees' });

    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Contacts' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Your impersonation session has ended' })).toBeInTheDocument();
    expect(screen.getByText('It ended because it was used from another browser or network.')).toBeInTheDocument();
    expect(assign).not.toHaveBeenCalled();
  });

  test('a plain 401 still goes straight to sign in', async () => {
    server(samMe(), { 'GET /api/me': () => problem(401, { code: 'unauthorized', title: 'Unauthorized' }) });
    const assign = vi.spyOn(documentNavigation, 'assign').mockImplementation(() => {});
    renderApp('/tenants');
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/auth/login?return_to=%2Ftenants'));
    expect(screen.queryByText('Your impersonation session has ended')).not.toBeInTheDocument();
  });
});

describe('starting an impersonation', () => {
  const london = tenantFixture({ id: 't-london', name: 'LSP London', canImpersonate: { support: true, configure: false } });
  const lyon = tenantFixture({ id: 't-lyon', name: 'LSP Lyon', canImpersonate: { support: false, configure: false } });

  async function openMenu(user: ReturnType<typeof renderApp>['user'], tenant: string) {
    await user.click(await screen.findByRole('button', { name: `Actions for ${tenant}` }));
    return (await screen.findAllByRole('menuitem')).map((i) => i.textContent);
  }

  test('the actions menu offers exactly the modes the server allows on each tenant', async () => {
    server(samMe(), { 'GET /api/tenants': () => json(page([london, lyon, paris])) });
    const { user } = renderApp('/tenants');

    expect(await openMenu(user, 'LSP Paris')).toEqual(['Open', 'Impersonate & Support', 'Impersonate & Configure']);
    await user.keyboard('{Escape}');
    expect(await openMenu(user, 'LSP London')).toEqual(['Open', 'Impersonate & Support']);
    await user.keyboard('{Escape}');
    expect(await openMenu(user, 'LSP Lyon')).toEqual(['Open']);
  });

  test('the dialog explains the mode and checks the reason before sending anything', async () => {
    const { fetchMock } = server(samMe());
    const { user } = renderApp('/tenants');
    await openMenu(user, 'LSP Paris');
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Configure' }));

    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Configure: LSP Paris' });
    expect(dialog).toHaveTextContent('Business units');
    expect(dialog).toHaveTextContent('Skills');
    expect(dialog).toHaveTextContent('Branding');
    const reason = within(dialog).getByRole('textbox', { name: /Reason \(ticket number etc\.\)/ });
    expect(reason).toHaveFocus();
    expect(dialog).toHaveTextContent('0 of 500 characters (at least 10)');

    await user.type(reason, 'SUP-12');
    expect(dialog).toHaveTextContent('6 of 500 characters');
    await user.click(within(dialog).getByRole('button', { name: 'Start' }));

    expect(within(dialog).getByText(/Reason must be at least 10 characters/)).toBeInTheDocument();
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason).toHaveFocus();
    expect(requestsTo(fetchMock, 'POST', '/api/tenants/t-paris/impersonations')).toHaveLength(0);

    // The check follows the typing once shown.
    await user.type(reason, '34: fix');
    expect(within(dialog).queryByText(/Reason must be at least/)).not.toBeInTheDocument();
    await user.clear(reason);
    await user.type(reason, 'x'.repeat(501));
    expect(within(dialog).getByText('Reason must be at most 500 characters (it has 501)')).toBeInTheDocument();
  });

  test('Start opens the session and lands on its page, with the bar', async () => {
    const { state, fetchMock } = server(samMe(), {
      'POST /api/tenants/t-paris/impersonations': () => {
        const session = sessionFixture({ reason: 'Ticket SUP-1234: cannot sign in' });
        state.me = impersonatingMe(session);
        return json({ ...session, landing: '/t/t-paris/admin/employees' }, 201);
      },
    });
    const { user } = renderApp('/tenants');
    await openMenu(user, 'LSP Paris');
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Support' }));
    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Support: LSP Paris' });
    expect(dialog).toHaveTextContent('Employees');
    expect(dialog).toHaveTextContent('Contacts');

    await user.type(within(dialog).getByRole('textbox', { name: /Reason/ }), '  Ticket SUP-1234: cannot sign in ');
    await user.click(within(dialog).getByRole('button', { name: 'Start' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Employees' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/admin/employees');
    expect(screen.getByText('You are currently impersonating Impersonated Admin on tenant LSP Paris')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const [post, ...more] = requestsTo(fetchMock, 'POST', '/api/tenants/t-paris/impersonations');
    expect(more).toHaveLength(0);
    expect(post.body).toEqual({ mode: 'support', reason: 'Ticket SUP-1234: cannot sign in' });
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-token-for-sam');
  });

  test.each([
    [403, 'impersonation_disabled', 'Impersonate & Support is switched off for this tenant by policy.', 'Switched off by policy', /ask a TM Admin to switch it on/],
    [403, 'impersonation_forbidden', 'Your role does not allow Impersonate & Support.', 'You may not start this impersonation', /ask a TM Admin/],
    [409, 'already_impersonating', 'You are already impersonating a tenant. Stop that session first.', 'You are already impersonating a tenant', /Stop the running session first/],
    [404, 'not_found', 'Tenant not found.', 'Tenant not found', /no longer within your reach/],
  ])('a %i %s refusal is explained, with what to do', async (status, code, detail, title, advice) => {
    server(samMe(), { 'POST /api/tenants/t-paris/impersonations': () => problem(status, { code, title: 'Refused', detail }) });
    const { user } = renderApp('/tenants');
    await openMenu(user, 'LSP Paris');
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Support' }));
    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Support: LSP Paris' });
    await user.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'Ticket SUP-1234');
    await user.click(within(dialog).getByRole('button', { name: 'Start' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(detail);
    expect(alert).toHaveTextContent(advice);
    expect(window.location.pathname).toBe('/tenants');
  });

  test('the server’s word on the reason shows under the field', async () => {
    server(samMe(), {
      'POST /api/tenants/t-paris/impersonations': () =>
        problem(400, { code: 'invalid', title: 'Invalid', errors: { reason: 'must be 10 to 500 characters: say why, for example the ticket number' } }),
    });
    const { user } = renderApp('/tenants');
    await openMenu(user, 'LSP Paris');
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Support' }));
    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Support: LSP Paris' });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    await user.type(reason, 'Ticket SUP-1234');
    await user.click(within(dialog).getByRole('button', { name: 'Start' }));

    expect(await within(dialog).findByText('Reason must be 10 to 500 characters: say why, for example the ticket number')).toBeInTheDocument();
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  test('reauth_required keeps the request and sends the browser to sign in again', async () => {
    const loginUrl = '/auth/login?login_hint=support%40classics.example&reauth=1&return_to=%2Ftenants%2Ft-paris%3Fimpersonate%3Dconfigure';
    server(samMe(), {
      'POST /api/tenants/t-paris/impersonations': () =>
        problem(403, { code: 'reauth_required', title: 'Forbidden', detail: 'Confirm it is you.', loginUrl }),
    });
    const assign = vi.spyOn(documentNavigation, 'assign').mockImplementation(() => {});
    const { user } = renderApp('/tenants');
    await openMenu(user, 'LSP Paris');
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Configure' }));
    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Configure: LSP Paris' });
    await user.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'CFG-77 new skill');
    await user.click(within(dialog).getByRole('button', { name: 'Start' }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith(loginUrl));
    expect(assign).toHaveBeenCalledTimes(1);
    const saved = JSON.parse(sessionStorage.getItem('regent.impersonation.pending-start') ?? '{}');
    expect(saved).toMatchObject({ tenantId: 't-paris', mode: 'configure', reason: 'CFG-77 new skill' });
    expect(within(dialog).getByRole('status')).toHaveTextContent('Taking you to sign in again');
  });

  test('back from signing in, the tenant page reopens the dialog filled in, once', async () => {
    sessionStorage.setItem(
      'regent.impersonation.pending-start',
      JSON.stringify({ tenantId: 't-paris', mode: 'configure', reason: 'CFG-77 new skill', savedAt: Date.now() }),
    );
    const { state, fetchMock } = server(samMe(), {
      'POST /api/tenants/t-paris/impersonations': () => {
        const session = sessionFixture({ mode: 'configure', reason: 'CFG-77 new skill' });
        state.me = impersonatingMe(session);
        return json({ ...session, landing: '/t/t-paris/acd/business-units' }, 201);
      },
    });
    const { user } = renderApp('/tenants/t-paris?impersonate=configure');

    const dialog = await screen.findByRole('dialog', { name: 'Impersonate & Configure: LSP Paris' });
    expect(within(dialog).getByRole('textbox', { name: /Reason/ })).toHaveValue('CFG-77 new skill');
    expect(dialog).toHaveTextContent('You have signed in again');
    // Used up: neither the address nor the storage can open it again.
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(sessionStorage.getItem('regent.impersonation.pending-start')).toBeNull();
    expect(requestsTo(fetchMock, 'POST', '/api/tenants/t-paris/impersonations')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Business Units' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/acd/business-units');
    expect(requestsTo(fetchMock, 'POST', '/api/tenants/t-paris/impersonations').map((r) => r.body)).toEqual([
      { mode: 'configure', reason: 'CFG-77 new skill' },
    ]);
  });

  test('the tenant page offers the same modes', async () => {
    server(samMe(), { 'GET /api/tenants/t-paris': () => json(tenantFixture({ canImpersonate: { support: true, configure: false } })) });
    const { user } = renderApp('/tenants/t-paris');
    expect(await screen.findByRole('heading', { level: 1, name: 'LSP Paris' })).toBeInTheDocument();
    expect(await openMenu(user, 'LSP Paris')).toEqual(['Impersonate & Support']);
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate & Support' }));
    expect(await screen.findByRole('dialog', { name: 'Impersonate & Support: LSP Paris' })).toBeInTheDocument();
  });
});
