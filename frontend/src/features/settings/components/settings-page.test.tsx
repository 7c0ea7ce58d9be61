import { screen, waitFor, within } from '@testing-library/react';

import type { PolicySettings } from '@/features/settings/api/settings';
import { meFixture, partnerAdminMe } from '@/testing/data';
import { json, problem, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const global: PolicySettings = {
  supportEnabled: true,
  configureEnabled: true,
  requireReason: true,
  maxDurationMinutes: 60,
  idleTimeoutMinutes: 15,
  reauthWithinMinutes: 15,
  bindFootprint: true,
  maskPersonalData: true,
  disableExport: true,
  notifyTenantAdmins: true,
  version: 4,
};

describe('Settings page', () => {
  test('saves the whole policy with its version', async () => {
    const fetchMock = stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/settings/impersonation': () => json(global),
      'PUT /api/settings/impersonation': ({ body }) => json({ ...(body as PolicySettings), version: 5 }),
    });
    const { user } = renderApp('/settings');

    const idle = await screen.findByRole('textbox', { name: 'Idle timeout (minutes)' });
    expect(screen.getByText('No request for this many minutes ends the session.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.clear(idle);
    await user.type(idle, '20');
    await user.click(screen.getByRole('switch', { name: 'Impersonate & Configure' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Impersonation policy saved.')).toBeInTheDocument();
    const [put] = requestsTo(fetchMock, 'PUT', '/api/settings/impersonation');
    expect(put.body).toEqual({ ...global, idleTimeoutMinutes: 20, configureEnabled: false, version: 4 });
    expect(put.headers.get('X-CSRF-Token')).toBe('csrf-token-for-tess');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled());
  });

  test('a value the server refuses is shown under its field', async () => {
    stubFetch({
      'GET /api/me': () => json(meFixture()),
      'GET /api/settings/impersonation': () => json(global),
      'PUT /api/settings/impersonation': () =>
        problem(400, { code: 'invalid', title: 'Invalid input', detail: 'Some fields are invalid.', errors: { maxDurationMinutes: 'must be between 1 and 480' } }),
    });
    const { user } = renderApp('/settings');

    const max = await screen.findByRole('textbox', { name: 'Maximum duration (minutes)' });
    await user.clear(max);
    await user.type(max, '600');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Maximum duration must be between 1 and 480')).toBeInTheDocument();
    expect(max).toHaveAttribute('aria-invalid', 'true');
    expect(max).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  test('a partner admin learns they tighten the policy per tenant', async () => {
    stubFetch({
      'GET /api/me': () => json(partnerAdminMe()),
      'GET /api/settings/impersonation': () => problem(403, { code: 'forbidden', title: 'Forbidden', detail: 'Only TM Admins see the global impersonation settings.' }),
    });
    renderApp('/settings');
    const note = await screen.findByText('The platform’s policy is set by its TM Admins');
    expect(note.closest('[role="alert"], .mantine-Alert-root')!).toHaveTextContent('Impersonation policy');
    expect(within(note.closest('.mantine-Alert-root') as HTMLElement).getByRole('link', { name: 'Go to your tenants' })).toHaveAttribute('href', '/tenants');
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
  });
});
