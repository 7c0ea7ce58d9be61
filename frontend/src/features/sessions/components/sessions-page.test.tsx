import { screen, waitFor, within } from '@testing-library/react';

import type { AuditEvent, ImpersonationSession } from '@/lib/accountability';
import { meFixture, page, partnerAdminMe, tenantFixture } from '@/testing/data';
import { json, noContent, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const soon = new Date(Date.now() + 40 * 60_000).toISOString();
const started = new Date(Date.now() - 20 * 60_000).toISOString();

function session(overrides: Partial<ImpersonationSession> = {}): ImpersonationSession {
  return {
    id: 's-live',
    tenant: { id: 't-paris', name: 'LSP Paris' },
    mode: 'support',
    principal: { name: 'Impersonated Admin' },
    actor: { id: 'u-sam', email: 'support@classics.example', name: 'Sam Ortiz' },
    startedAt: started,
    expiresAt: soon,
    idleTimeoutSeconds: 900,
    lastActivityAt: started,
    reason: 'Ticket 4711: employee cannot sign in',
    restrictions: ['mask_personal_data', 'export_disabled'],
    active: true,
    endedAt: null,
    endReason: '',
    ...overrides,
  };
}

const live = session();
const ended = session({
  id: 's-ended',
  mode: 'configure',
  actor: { id: 'u-ivy', email: 'implementer@classics.example', name: 'Ivy Chen' },
  tenant: { id: 't-london', name: 'LSP London' },
  reason: 'Set up the outbound skill',
  active: false,
  endedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  endReason: 'idle_timeout',
});

function api(extra = {}) {
  return stubFetch({
    'GET /api/me': () => json(meFixture()),
    'GET /api/tenants': () => json(page([tenantFixture()])),
    'GET /api/impersonations': ({ url }) => {
      const active = url.searchParams.get('active');
      if (active === 'true') return json(page([live]));
      if (active === 'false') return json(page([ended]));
      return json(page([live, ended]));
    },
    ...extra,
  });
}

describe('Sessions page', () => {
  test('lists sessions with reason, times, end reason in words and status', async () => {
    api();
    renderApp('/sessions');
    const table = await screen.findByRole('table', { name: 'Impersonation sessions' });
    const liveRow = (await within(table).findByRole('link', { name: 'Sam Ortiz' })).closest('tr')!;
    expect(liveRow).toHaveTextContent('LSP Paris');
    expect(liveRow).toHaveTextContent('Support');
    expect(liveRow).toHaveTextContent('Ticket 4711');
    expect(liveRow).toHaveTextContent(/Ends in 40 minutes/);
    expect(liveRow).toHaveTextContent('Active');
    const endedRow = within(table).getByRole('link', { name: 'Ivy Chen' }).closest('tr')!;
    expect(endedRow).toHaveTextContent('Idle for too long');
    expect(endedRow).toHaveTextContent('Ended');
    expect(within(endedRow).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'Sam Ortiz' })).toHaveAttribute('href', '/sessions/s-live');
  });

  test('the status filter is in the URL and asks the server for active sessions only', async () => {
    const fetchMock = api();
    const { user } = renderApp('/sessions');
    await screen.findByRole('link', { name: 'Ivy Chen' });
    await user.click(within(screen.getByRole('radiogroup', { name: 'Status' })).getByRole('radio', { name: 'Active' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Ivy Chen' })).not.toBeInTheDocument());
    expect(window.location.search).toBe('?status=active');
    expect(requestsTo(fetchMock, 'GET', '/api/impersonations').at(-1)!.url.searchParams.get('active')).toBe('true');
  });

  test('revoking asks first, then ends the session and refreshes the list', async () => {
    let revoked = false;
    const fetchMock = api({
      'POST /api/impersonations/s-live/revoke': () => {
        revoked = true;
        return noContent();
      },
      'GET /api/impersonations': () => json(page([revoked ? { ...live, active: false, endedAt: new Date().toISOString(), endReason: 'revoked' } : live])),
    });
    const { user } = renderApp('/sessions');
    await user.click(await screen.findByRole('button', { name: 'Revoke Sam Ortiz’s session on LSP Paris' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke this session?' });
    expect(dialog).toHaveTextContent('Sam Ortiz is impersonating LSP Paris');
    expect(requestsTo(fetchMock, 'POST', '/api/impersonations/s-live/revoke')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Revoke session' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [post] = requestsTo(fetchMock, 'POST', '/api/impersonations/s-live/revoke');
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-token-for-tess');
    expect(await screen.findByText('Sam Ortiz’s session on LSP Paris ended.')).toBeInTheDocument();
    expect(await screen.findByText('Ended by an administrator')).toBeInTheDocument();
  });

  test('“End all active sessions” asks first and reports how many ended', async () => {
    const fetchMock = api({ 'POST /api/impersonations/revoke-all': () => json({ revoked: 3 }) });
    const { user } = renderApp('/sessions');
    await user.click(await screen.findByRole('button', { name: 'End all active sessions' }));
    const dialog = await screen.findByRole('dialog', { name: 'End every active session?' });
    await user.click(within(dialog).getByRole('button', { name: 'End all sessions' }));
    expect(await screen.findByText('3 sessions ended.')).toBeInTheDocument();
    expect(requestsTo(fetchMock, 'POST', '/api/impersonations/revoke-all')).toHaveLength(1);
  });

  test('without impersonation:revoke there is nothing to revoke', async () => {
    api({ 'GET /api/me': () => json(partnerAdminMe()) });
    renderApp('/sessions');
    await screen.findByRole('link', { name: 'Sam Ortiz' });
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'End all active sessions' })).not.toBeInTheDocument();
  });

  test('support staff see Sessions with their own sessions', async () => {
    api({ 'GET /api/me': () => json(meFixture({ permissions: ['impersonation:support', 'partners:read', 'tenants:read'] })) });
    renderApp('/sessions');
    expect(await screen.findByText('Your own impersonation sessions, live and ended.')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Sam Ortiz' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Tenant' })).not.toBeInTheDocument();
  });
});

describe('Session timeline', () => {
  const events: AuditEvent[] = [
    {
      id: 'e-start',
      time: started,
      action: 'impersonation.start',
      outcome: 'success',
      actor: live.actor,
      principal: { id: 'u-hidden', name: 'Impersonated Admin' },
      sessionId: 's-live',
      tenantId: 't-paris',
      target: { type: 'tenant', id: 't-paris' },
      ip: '10.0.0.1',
      userAgent: 'Firefox',
    },
    {
      id: 'e-edit',
      time: started,
      action: 'employee.update',
      outcome: 'success',
      actor: live.actor,
      principal: { id: 'u-hidden', name: 'Impersonated Admin' },
      sessionId: 's-live',
      tenantId: 't-paris',
      target: { type: 'employee', id: 'u-suzanne' },
      before: { status: 'deactivated' },
      after: { status: 'active' },
      ip: '10.0.0.1',
      userAgent: 'Firefox',
    },
  ];

  test('shows the session’s header and its events in order, with changes on demand', async () => {
    api({ 'GET /api/impersonations/s-live': () => json({ session: live, events }) });
    const { user } = renderApp('/sessions/s-live');

    expect(await screen.findByRole('heading', { level: 1, name: 'Sam Ortiz in LSP Paris' })).toBeInTheDocument();
    const header = screen.getByRole('region', { name: 'Session' });
    expect(header).toHaveTextContent('Ticket 4711: employee cannot sign in');
    expect(header).toHaveTextContent('Personal data masked');
    expect(header).toHaveTextContent('Impersonate & Support');

    const timeline = screen.getByRole('table', { name: 'Session events' });
    const rows = within(timeline).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Impersonation started');
    expect(rows[1]).toHaveTextContent('Employee changed');
    await user.click(within(rows[1]).getByRole('button', { name: 'Show changes' }));
    const diff = await screen.findByRole('table', { name: 'Changes: Employee changed' });
    expect(within(diff).getByRole('rowheader', { name: /status/ }).closest('tr')).toHaveTextContent('deactivatedactive');
    expect(screen.getByRole('button', { name: 'Revoke session' })).toBeInTheDocument();
    expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument();
  });

  test('a timeline the server cut short says so, with how many events there are and where to read them all', async () => {
    api({ 'GET /api/impersonations/s-live': () => json({ session: live, events, total: 12_345, truncated: true }) });
    renderApp('/sessions/s-live');

    const notice = await screen.findByRole('status', { name: 'Not every event of this session is listed' });
    expect(notice).toHaveTextContent('Not every event of this session is listed');
    expect(notice).toHaveTextContent(`Showing the first 2 events of ${(12_345).toLocaleString()}, in order.`);
    expect(within(notice).getByRole('link', { name: 'Read them all in the audit trail' })).toHaveAttribute('href', '/audit?sessionId=s-live');
    // The notice comes before the events, where it is read first.
    const timeline = screen.getByRole('table', { name: 'Session events' });
    expect(notice.compareDocumentPosition(timeline) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(timeline).getAllByRole('row')).toHaveLength(3);
  });

  test('without audit:read the notice of a cut timeline offers no audit trail', async () => {
    api({
      'GET /api/me': () => json(meFixture({ permissions: ['impersonation:support', 'tenants:read'] })),
      'GET /api/impersonations/s-live': () => json({ session: live, events, total: 12_345, truncated: true }),
    });
    renderApp('/sessions/s-live');

    const notice = await screen.findByRole('status', { name: 'Not every event of this session is listed' });
    expect(notice).toHaveTextContent(`Showing the first 2 events of ${(12_345).toLocaleString()}`);
    expect(within(notice).queryByRole('link')).not.toBeInTheDocument();
  });
});
