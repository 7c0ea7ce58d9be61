import { screen, waitFor, within } from '@testing-library/react';

import type { AccessLogEntry, AccessNotice } from '@/features/tenant-app/access-log/api/access-log';
import type { ImpersonationSession } from '@/lib/accountability';
import { page, tenantAdminMe } from '@/testing/data';
import { json, noContent, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const base = '/api/tenants/t-paris/access-log';
// The notice is an alert named by its headline.
const noticeName = /since your last visit|in your tenant right now/;
const hourAgo = new Date(Date.now() - 3600_000).toISOString();

const entries: AccessLogEntry[] = [
  {
    id: 's-2',
    sessionId: 's-2',
    actor: { email: 'support@classics.example', name: 'Sam Ortiz' },
    mode: 'support',
    reason: 'Ticket 4711: employee cannot sign in',
    startedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    endedAt: null,
    endReason: '',
  },
  {
    id: 's-1',
    sessionId: 's-1',
    actor: { email: 'implementer@classics.example', name: 'Ivy Chen' },
    mode: 'configure',
    reason: 'Set up the outbound skill',
    startedAt: hourAgo,
    endedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    endReason: 'stopped',
  },
];

function api(extra = {}) {
  let seen = false;
  const notice = (): AccessNotice =>
    seen ? { unseen: 0, since: new Date().toISOString(), latestAt: null, latestBy: '', active: 1 } : { unseen: 2, since: null, latestAt: hourAgo, latestBy: 'Sam Ortiz', active: 1 };
  return stubFetch({
    'GET /api/me': () => json(tenantAdminMe()),
    'GET /api/tenants/t-paris/employees': () => json(page([])),
    'GET /api/tenants/t-paris/roles': () => json(page([])),
    [`GET ${base}`]: () => json(page(entries)),
    [`GET ${base}/notice`]: () => json(notice()),
    [`POST ${base}/seen`]: () => {
      seen = true;
      return noContent();
    },
    ...extra,
  });
}

describe('Access Log', () => {
  test('the tenant app tells its admin about outside access; opening the Access Log marks it seen once', async () => {
    const fetchMock = api();
    const { user } = renderApp('/t/t-paris/admin/employees');

    const banner = await screen.findByRole('alert', { name: noticeName });
    expect(banner).toHaveTextContent('2 outside accesses since your last visit — latest by Sam Ortiz');
    expect(banner).toHaveTextContent('Someone from support is in your tenant right now');
    expect(requestsTo(fetchMock, 'POST', `${base}/seen`)).toHaveLength(0);

    await user.click(within(banner).getByRole('link', { name: /Access Log/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Access Log' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/t/t-paris/access-log');

    const table = await screen.findByRole('table', { name: 'Access Log' });
    const sam = within(table).getByRole('link', { name: 'Sam Ortiz' }).closest('tr')!;
    expect(sam).toHaveTextContent('Ticket 4711');
    expect(sam).toHaveTextContent('Support');
    expect(sam).toHaveTextContent('In progress');
    const ivy = within(table).getByRole('link', { name: 'Ivy Chen' }).closest('tr')!;
    expect(ivy).toHaveTextContent('Configure');
    expect(ivy).toHaveTextContent('Stopped by the user');

    // Seen once; the notice is asked for again and now only says someone is in right now.
    await waitFor(() => expect(requestsTo(fetchMock, 'POST', `${base}/seen`)).toHaveLength(1));
    expect(requestsTo(fetchMock, 'POST', `${base}/seen`)[0].headers.get('X-CSRF-Token')).toBe('csrf-token-for-armand');
    await waitFor(() => expect(screen.getByRole('alert', { name: noticeName })).toHaveTextContent(/^Someone from support is in your tenant right now/));
    expect(screen.getByRole('alert', { name: noticeName })).not.toHaveTextContent('since your last visit');

    // The navigation lists the Access Log.
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Access Log' })).toHaveAttribute('aria-current', 'page');
    await user.click(within(nav).getByRole('link', { name: 'Employees' }));
    await screen.findByRole('heading', { level: 1, name: 'Employees' });
    expect(requestsTo(fetchMock, 'POST', `${base}/seen`)).toHaveLength(1);
  });

  test('the notice can be dismissed', async () => {
    api();
    const { user } = renderApp('/t/t-paris/admin/employees');
    const banner = await screen.findByRole('alert', { name: noticeName });
    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert', { name: noticeName })).not.toBeInTheDocument());
  });

  test('no notice when nothing happened, and none for users without the Access Log', async () => {
    const fetchMock = api({ [`GET ${base}/notice`]: () => json({ unseen: 0, since: hourAgo, latestAt: null, latestBy: '', active: 0 }) });
    renderApp('/t/t-paris/admin/employees');
    await screen.findByRole('heading', { level: 1, name: 'Employees' });
    await waitFor(() => expect(requestsTo(fetchMock, 'GET', `${base}/notice`)).toHaveLength(1));
    expect(screen.queryByRole('alert', { name: noticeName })).not.toBeInTheDocument();
  });

  test('an agent is not asked about outside access', async () => {
    const fetchMock = api({ 'GET /api/me': () => json(tenantAdminMe({ permissions: ['employees:read'] })) });
    renderApp('/t/t-paris/admin/employees');
    await screen.findByRole('heading', { level: 1, name: 'Employees' });
    expect(requestsTo(fetchMock, 'GET', `${base}/notice`)).toHaveLength(0);
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Access Log' })).not.toBeInTheDocument();
  });

  test('an entry shows who, why and what they did, in order', async () => {
    const session: ImpersonationSession = {
      id: 's-1',
      tenant: { id: 't-paris', name: 'LSP Paris' },
      mode: 'configure',
      principal: { name: 'Impersonated Admin' },
      actor: { id: 'u-ivy', email: 'implementer@classics.example', name: 'Ivy Chen' },
      startedAt: hourAgo,
      expiresAt: hourAgo,
      reason: 'Set up the outbound skill',
      restrictions: ['tenant_admins_notified'],
      active: false,
      endedAt: hourAgo,
      endReason: 'stopped',
    };
    api({
      [`GET ${base}/s-1`]: () =>
        json({
          session,
          events: [
            {
              id: 'e-1',
              time: hourAgo,
              action: 'skill.create',
              outcome: 'success',
              actor: session.actor,
              principal: { id: 'u-hidden', name: 'Impersonated Admin' },
              sessionId: 's-1',
              tenantId: 't-paris',
              target: { type: 'skill', id: 'sk-1' },
              after: { name: 'Outbound FR', channel: 'phone' },
              ip: '10.0.0.1',
              userAgent: 'Firefox',
            },
          ],
        }),
    });
    const { user } = renderApp('/t/t-paris/access-log');
    await user.click(await screen.findByRole('link', { name: 'Ivy Chen' }));
    const header = await screen.findByRole('region', { name: 'Session' });
    expect(header).toHaveTextContent('Set up the outbound skill');
    expect(header).toHaveTextContent('Stopped by the user');
    expect(header).toHaveTextContent('Tenant admins notified');
    const events = screen.getByRole('table', { name: 'Session events' });
    expect(events).toHaveTextContent('Skill created');
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(crumbs).getByRole('link', { name: 'Access Log' })).toHaveAttribute('href', '/t/t-paris/access-log');
  });
});
