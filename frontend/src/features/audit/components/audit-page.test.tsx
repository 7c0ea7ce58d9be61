import { screen, waitFor, within } from '@testing-library/react';

import type { AuditEvent } from '@/lib/accountability';
import { meFixture, page, tenantFixture } from '@/testing/data';
import { json, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const paris = tenantFixture();

function event(overrides: Partial<AuditEvent>): AuditEvent {
  return {
    id: 'e-1',
    time: '2026-11-20T09:30:00Z',
    action: 'auth.login',
    outcome: 'success',
    actor: { id: 'u-tess', email: 'tm-admin@classics.example', name: 'Tess Morgan' },
    principal: { id: 'u-tess', name: 'Tess Morgan' },
    sessionId: null,
    tenantId: null,
    target: { type: 'user', id: 'u-tess' },
    ip: '127.0.0.1',
    userAgent: 'Firefox',
    requestId: 'req-1',
    chain: 'main',
    chainSeq: 41,
    hash: 'ab12cd',
    ...overrides,
  };
}

const employeeUpdate = event({
  id: 'e-2',
  time: '2026-11-20T10:00:00Z',
  action: 'employee.update',
  actor: { id: 'u-sam', email: 'support@classics.example', name: 'Sam Ortiz' },
  principal: { id: 'u-hidden', name: 'Impersonated Admin' },
  sessionId: 's-1',
  tenantId: 't-paris',
  target: { type: 'employee', id: 'u-suzanne' },
  before: { name: 'Suzanne', email: '[redacted]', status: 'active', version: 2 },
  after: { name: 'Suzanne de Tournay', email: '[redacted]', status: 'active', version: 3 },
  chainSeq: 42,
  hash: 'ffee0011',
});
const login = event({ id: 'e-1' });
const older = event({ id: 'e-0', time: '2026-11-19T08:00:00Z', action: 'tenant.create', target: { type: 'tenant', id: 't-paris' } });

function api(extra = {}) {
  return stubFetch({
    'GET /api/me': () => json(meFixture()),
    'GET /api/tenants': () => json(page([paris])),
    'GET /api/audit': ({ url }) => {
      if (url.searchParams.get('cursor') === 'cursor-2') return json({ items: [older], nextCursor: null });
      if (url.searchParams.get('action')) return json({ items: [], nextCursor: null });
      return json({ items: [employeeUpdate, login], nextCursor: 'cursor-2' });
    },
    ...extra,
  });
}

describe('Audit page', () => {
  test('lists events newest first, says who acted on whose behalf, and loads older events with the cursor', async () => {
    const fetchMock = api();
    const { user } = renderApp('/audit');

    const table = await screen.findByRole('table', { name: 'Audit events' });
    const update = (await within(table).findByRole('button', { name: 'Employee changed' })).closest('tr')!;
    expect(update).toHaveTextContent('Sam Ortiz on behalf of Impersonated Admin');
    expect(update).toHaveTextContent('LSP Paris');
    expect(within(update).getByRole('link', { name: 'Impersonation session' })).toHaveAttribute('href', '/sessions/s-1');
    const signIn = within(table).getByRole('button', { name: 'Signed in' }).closest('tr')!;
    expect(signIn).toHaveTextContent('Tess Morgan');
    expect(signIn).not.toHaveTextContent('on behalf of');
    expect(within(signIn).getByText('Success')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByRole('button', { name: 'Tenant created' })).toBeInTheDocument();
    // The first page stays; the button goes once the trail is exhausted.
    expect(within(table).getByRole('button', { name: 'Signed in' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument());
    const calls = requestsTo(fetchMock, 'GET', '/api/audit');
    expect(calls[0].url.searchParams.get('cursor')).toBeNull();
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBe('cursor-2');
  });

  test('who acted on whose behalf is read from the ids, not the names', async () => {
    // A person who took the name "Impersonated Admin" before it was refused, impersonating:
    // the same name as the principal, another account.
    const sameName = event({
      id: 'e-4',
      action: 'employee.update',
      actor: { id: 'u-legacy', email: 'legacy@classics.example', name: 'Impersonated Admin' },
      principal: { id: 'u-hidden', name: 'Impersonated Admin' },
      sessionId: 's-1',
      tenantId: 't-paris',
      target: { type: 'employee', id: 'u-suzanne' },
    });
    // The person themselves, under a name spelled differently: nobody else's behalf.
    const sameId = event({
      id: 'e-5',
      action: 'tenant.create',
      actor: { id: 'u-tess', email: 'tm-admin@classics.example', name: 'Tess Morgan' },
      principal: { id: 'u-tess', name: 'Tess Morgan-Reyes' },
      target: { type: 'tenant', id: 't-paris' },
    });
    api({ 'GET /api/audit': () => json({ items: [sameName, sameId], nextCursor: null }) });
    const { user } = renderApp('/audit');

    const table = await screen.findByRole('table', { name: 'Audit events' });
    const impersonated = (await within(table).findByRole('button', { name: 'Employee changed' })).closest('tr')!;
    expect(impersonated).toHaveTextContent('Impersonated Admin on behalf of Impersonated Admin');
    const own = within(table).getByRole('button', { name: 'Tenant created' }).closest('tr')!;
    expect(own).toHaveTextContent('Tess Morgan');
    expect(own).not.toHaveTextContent('on behalf of');

    await user.click(within(impersonated).getByRole('button', { name: 'Employee changed' }));
    const drawer = await screen.findByRole('dialog', { name: 'Employee changed' });
    expect(drawer).toHaveTextContent('Impersonated Admin acted on behalf of Impersonated Admin');
  });

  test('filters live in the URL and go to the server; the export links carry them', async () => {
    const fetchMock = api();
    const { user } = renderApp('/audit?tenantId=t-paris');

    await screen.findByRole('button', { name: 'Employee changed' });
    expect(requestsTo(fetchMock, 'GET', '/api/audit')[0].url.searchParams.get('tenantId')).toBe('t-paris');

    await user.type(screen.getByRole('textbox', { name: 'Action' }), 'impersonation.{Enter}');
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('action')).toBe('impersonation.'));
    expect(new URLSearchParams(window.location.search).get('tenantId')).toBe('t-paris');
    expect(await screen.findByText('No events match')).toBeInTheDocument();
    const last = requestsTo(fetchMock, 'GET', '/api/audit').at(-1)!;
    expect(last.url.searchParams.get('action')).toBe('impersonation.');
    expect(last.url.searchParams.get('tenantId')).toBe('t-paris');

    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/audit/export?format=csv&tenantId=t-paris&action=impersonation.');
    expect(screen.getByRole('link', { name: 'Export JSON lines' })).toHaveAttribute(
      'href',
      '/api/audit/export?format=jsonl&tenantId=t-paris&action=impersonation.',
    );
  });

  test('an event opens in a drawer with every field, the before/after diff and its place in the chain', async () => {
    api();
    const { user } = renderApp('/audit');

    await user.click(await screen.findByRole('button', { name: 'Employee changed' }));
    const drawer = await screen.findByRole('dialog', { name: 'Employee changed' });
    expect(drawer).toHaveTextContent('support@classics.example');
    expect(drawer).toHaveTextContent('Sam Ortiz acted on behalf of Impersonated Admin');
    expect(drawer).toHaveTextContent('127.0.0.1');
    expect(drawer).toHaveTextContent('req-1');
    expect(drawer).toHaveTextContent('#42');
    expect(drawer).toHaveTextContent('ffee0011');

    const diff = within(drawer).getByRole('table', { name: 'Changes' });
    const name = within(diff).getByRole('rowheader', { name: /^name/ }).closest('tr')!;
    expect(name).toHaveAttribute('data-changed');
    expect(name).toHaveTextContent('Suzanne');
    expect(name).toHaveTextContent('Suzanne de Tournay');
    expect(within(name).getByText('(changed)')).toBeInTheDocument();
    const email = within(diff).getByRole('rowheader', { name: /^email/ }).closest('tr')!;
    expect(email).not.toHaveAttribute('data-changed');
    expect(within(email).getAllByText('[redacted]')).toHaveLength(2);
    expect(within(diff).getByRole('rowheader', { name: /^status/ }).closest('tr')).not.toHaveAttribute('data-changed');

    await user.click(within(drawer).getByRole('button', { name: 'Close event details' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  test('personal data that a change altered reads as redacted and changed, and is marked changed', async () => {
    const contactUpdate = event({
      id: 'e-3',
      action: 'contact.update',
      target: { type: 'contact', id: 'c-1' },
      before: { name: '[redacted]', phone: '[redacted]', version: 1 },
      after: { name: '[redacted]', phone: '[redacted: changed]', version: 2 },
    });
    api({ 'GET /api/audit': () => json({ items: [contactUpdate], nextCursor: null }) });
    const { user } = renderApp('/audit');

    await user.click(await screen.findByRole('button', { name: 'Contact changed' }));
    const diff = within(await screen.findByRole('dialog', { name: 'Contact changed' })).getByRole('table', { name: 'Changes' });
    const phone = within(diff).getByRole('rowheader', { name: /^phone/ }).closest('tr')!;
    expect(phone).toHaveAttribute('data-changed');
    expect(within(phone).getByText('[redacted: changed]')).toHaveAttribute('title', 'Personal data is never kept in the audit trail');
    expect(within(diff).getByRole('rowheader', { name: /^name/ }).closest('tr')).not.toHaveAttribute('data-changed');
  });

  test('a filter the server refuses is explained under the field', async () => {
    api({
      'GET /api/audit': () => problem(400, { code: 'invalid', title: 'Invalid input', errors: { sessionId: 'must be an id' } }),
    });
    renderApp('/audit?sessionId=nope');
    expect(await screen.findByText('Session ID must be an id')).toBeInTheDocument();
  });

  test('without audit:export there is no export', async () => {
    api({ 'GET /api/me': () => json(meFixture({ permissions: ['audit:read', 'tenants:read'] })) });
    renderApp('/audit');
    await screen.findByRole('button', { name: 'Employee changed' });
    expect(screen.queryByRole('link', { name: 'Export CSV' })).not.toBeInTheDocument();
  });
});
