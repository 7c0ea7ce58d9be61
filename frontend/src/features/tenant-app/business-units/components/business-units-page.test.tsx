import { screen, waitFor, within } from '@testing-library/react';

import { page, tenantAdminMe } from '@/testing/data';
import { json, requestsTo, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const base = '/api/tenants/t-paris/business-units';

describe('Business Units page', () => {
  test('a new unit shows the time zone it starts with, even one the browser leaves out of its list', async () => {
    // Chromium's list of zones has no "UTC", yet a browser set to UTC reports it as its own.
    const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    vi.spyOn(Intl, 'supportedValuesOf').mockReturnValue(['Antarctica/Troll', 'Pacific/Chatham'].filter((z) => z !== localZone));
    const fetchMock = stubFetch({
      'GET /api/me': () => json(tenantAdminMe()),
      [`GET ${base}`]: () => json(page([])),
      [`POST ${base}`]: (req) => json({ id: 'bu-new', ...(req.body as object) }, 201),
    });
    const { user } = renderApp('/t/t-paris/acd/business-units');
    await user.click(await screen.findByRole('button', { name: 'New business unit' }));
    const dialog = await screen.findByRole('dialog', { name: 'New business unit' });

    expect(within(dialog).getByRole('combobox', { name: 'Time zone' })).toHaveValue(localZone);

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Night Desk');
    await user.click(within(dialog).getByRole('button', { name: 'Create business unit' }));
    await waitFor(() => expect(requestsTo(fetchMock, 'POST', base)).toHaveLength(1));
    expect(requestsTo(fetchMock, 'POST', base)[0].body).toEqual({ name: 'Night Desk', timeZone: localZone, status: 'active' });
  });
});
