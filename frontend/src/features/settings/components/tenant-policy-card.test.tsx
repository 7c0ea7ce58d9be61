import { screen, waitFor, within } from '@testing-library/react';

import type { EffectivePolicy, TenantPolicy } from '@/features/settings/api/settings';
import { meFixture, partnerAdminMe, tenantFixture } from '@/testing/data';
import { json, problem, requestsTo, stubFetch, type StubRequest } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const effective: EffectivePolicy = {
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
};

// The partner's layer for LSP Paris: configure switched off, a 30-minute limit, the rest inherited.
const layer: TenantPolicy = {
  supportEnabled: null,
  configureEnabled: false,
  requireReason: null,
  maxDurationMinutes: 30,
  idleTimeoutMinutes: null,
  reauthWithinMinutes: null,
  bindFootprint: null,
  maskPersonalData: null,
  disableExport: null,
  notifyTenantAdmins: null,
  version: 2,
  level: 'partner',
  effective: { ...effective, configureEnabled: false, maxDurationMinutes: 30 },
};

const policyPath = '/api/tenants/t-paris/settings/impersonation';

function api(me = partnerAdminMe(), extra = {}) {
  return stubFetch({
    'GET /api/me': () => json(me),
    'GET /api/tenants/t-paris': () => json(tenantFixture()),
    'GET /api/tenants/t-paris/metrics': () =>
      json({ lastSignInAt: new Date(Date.now() - 2 * 3600_000).toISOString(), activeUsers30d: 4, changesThisMonth: 12, impersonatedChangesThisMonth: 3, impersonationSessionsThisMonth: 2 }),
    [`GET ${policyPath}`]: () => json(layer),
    ...extra,
  });
}

describe('Tenant page: impersonation policy and activity', () => {
  test('shows each setting inherited or set here beside the value in force, and PUTs the layer with inherited fields left out', async () => {
    const fetchMock = api(partnerAdminMe(), {
      [`PUT ${policyPath}`]: ({ body }: StubRequest) => json({ ...layer, ...(body as object), version: 3, effective: { ...layer.effective, supportEnabled: false } }),
    });
    const { user } = renderApp('/tenants/t-paris');

    const card = await screen.findByRole('region', { name: 'Impersonation policy' });
    expect(card).toHaveTextContent('The most restrictive layer applies');
    expect(await within(card).findByText('Partner layer')).toBeInTheDocument();
    const configure = within(card).getByRole('radiogroup', { name: 'Impersonate & Configure' });
    expect(within(configure).getByRole('radio', { name: 'Off' })).toBeChecked();
    expect(within(within(card).getByRole('radiogroup', { name: 'Impersonate & Support' })).getByRole('radio', { name: 'Inherit' })).toBeChecked();
    const maxRow = within(card).getByRole('rowheader', { name: /Maximum duration/ }).closest('tr')!;
    expect(within(maxRow).getByRole('checkbox', { name: 'Inherit maximum duration' })).not.toBeChecked();
    expect(within(maxRow).getByRole('textbox', { name: 'Maximum duration (minutes)' })).toHaveValue('30');
    expect(maxRow).toHaveTextContent('30 min');
    const idleRow = within(card).getByRole('rowheader', { name: /Idle timeout/ }).closest('tr')!;
    expect(within(idleRow).getByRole('checkbox', { name: 'Inherit idle timeout' })).toBeChecked();
    expect(within(idleRow).getByRole('textbox', { name: 'Idle timeout (minutes)' })).toBeDisabled();
    expect(idleRow).toHaveTextContent('15 min');

    // Override support (off), set an idle timeout of 10, and let the maximum duration inherit again.
    await user.click(within(within(card).getByRole('radiogroup', { name: 'Impersonate & Support' })).getByRole('radio', { name: 'Off' }));
    await user.click(within(idleRow).getByRole('checkbox', { name: 'Inherit idle timeout' }));
    const idle = within(idleRow).getByRole('textbox', { name: 'Idle timeout (minutes)' });
    expect(idle).toBeEnabled();
    await user.clear(idle);
    await user.type(idle, '10');
    await user.click(within(maxRow).getByRole('checkbox', { name: 'Inherit maximum duration' }));
    await user.click(within(card).getByRole('button', { name: 'Save policy' }));

    expect(await screen.findByText('Impersonation policy for LSP Paris saved.')).toBeInTheDocument();
    const [put] = requestsTo(fetchMock, 'PUT', policyPath);
    expect(put.body).toEqual({ supportEnabled: false, configureEnabled: false, idleTimeoutMinutes: 10, version: 2 });
    expect(put.headers.get('X-CSRF-Token')).toBe('csrf-token-for-percy');
  });

  test('a looser value on this layer is marked as overruled by a stricter one', async () => {
    api(meFixture(), {
      [`GET ${policyPath}`]: () => json({ ...layer, level: 'platform', configureEnabled: true, maxDurationMinutes: 120 }),
    });
    renderApp('/tenants/t-paris');
    const card = await screen.findByRole('region', { name: 'Impersonation policy' });
    expect(await within(card).findByText('Platform layer')).toBeInTheDocument();
    const maxRow = within(card).getByRole('rowheader', { name: /Maximum duration/ }).closest('tr')!;
    expect(maxRow).toHaveTextContent('A stricter layer applies');
    const configureRow = within(card).getByRole('rowheader', { name: /Impersonate & Configure/ }).closest('tr')!;
    expect(configureRow).toHaveTextContent('Off');
    expect(configureRow).toHaveTextContent('A stricter layer applies');
  });

  test('a refused number is shown under its field', async () => {
    api(partnerAdminMe(), {
      [`PUT ${policyPath}`]: () => problem(400, { code: 'invalid', title: 'Invalid input', errors: { maxDurationMinutes: 'must be between 1 and 480' } }),
    });
    const { user } = renderApp('/tenants/t-paris');
    const card = await screen.findByRole('region', { name: 'Impersonation policy' });
    const max = await within(card).findByRole('textbox', { name: 'Maximum duration (minutes)' });
    await user.clear(max);
    await user.type(max, '999');
    await user.click(within(card).getByRole('button', { name: 'Save policy' }));
    expect(await within(card).findByText('Maximum duration must be between 1 and 480')).toBeInTheDocument();
  });

  test('the activity card keeps impersonated activity apart from the tenant’s own', async () => {
    api();
    renderApp('/tenants/t-paris');
    const own = await screen.findByRole('region', { name: 'The tenant’s own activity' });
    await waitFor(() => expect(own).toHaveTextContent(/Changes this month\s*12/));
    expect(own).toHaveTextContent(/Last sign-in\s*2 hours ago/);
    expect(own).toHaveTextContent(/Active users, last 30 days\s*4/);
    expect(own).not.toHaveTextContent(/impersonat/i);
    const apart = screen.getByRole('region', { name: 'Impersonated activity' });
    expect(apart).toHaveTextContent('Shown apart');
    expect(apart).toHaveTextContent(/Impersonation sessions this month\s*2/);
    expect(apart).toHaveTextContent(/Changes while impersonating this month\s*3/);
  });

  test('without impersonation:settings there is no policy card', async () => {
    const fetchMock = api(meFixture({ permissions: ['tenants:read'] }));
    renderApp('/tenants/t-paris');
    await screen.findByRole('region', { name: 'The tenant’s own activity' });
    expect(screen.queryByRole('region', { name: 'Impersonation policy' })).not.toBeInTheDocument();
    expect(requestsTo(fetchMock, 'GET', policyPath)).toHaveLength(0);
  });
});
