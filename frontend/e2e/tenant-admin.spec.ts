import { expect, test, type Page } from '@playwright/test';

/** Signs a demo user straight in (the development provider honours login_hint) and opens `path`. */
async function signIn(page: Page, email: string, path: string) {
  await page.goto(`/auth/login?${new URLSearchParams({ login_hint: email, return_to: path })}`);
}

test('a partner admin creates a customer tenant and finds it in the list', async ({ page }) => {
  await signIn(page, 'partner-admin@lsp.example', '/tenants');
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  const tenants = page.getByRole('table', { name: 'Tenants' });
  await expect(tenants.getByRole('link', { name: 'LSP Paris' })).toBeVisible();
  // Partner admins see their own partner's customers only, and create customers only.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' })).toHaveCount(0);

  await page.getByRole('button', { name: 'New tenant' }).click();
  const dialog = page.getByRole('dialog', { name: 'New tenant' });
  await expect(dialog.getByText('League of the Scarlet Pimpernel')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('LSP Lyon');
  await dialog.getByRole('button', { name: 'Create tenant' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Tenant “LSP Lyon” created.')).toBeVisible();

  const row = tenants.getByRole('row').filter({ has: page.getByRole('link', { name: 'LSP Lyon' }) });
  await expect(row).toContainText('Active');

  // The search finds it too, and the URL keeps the search.
  await page.getByRole('searchbox', { name: 'Search tenants' }).fill('lyon');
  await page.waitForURL((url) => url.searchParams.get('q') === 'lyon');
  await expect(tenants.getByRole('link')).toHaveText(['LSP Lyon']);

  await row.getByRole('link', { name: 'LSP Lyon' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'LSP Lyon' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('League of the Scarlet Pimpernel');
});

test('a tenant admin invites an employee with the Agent role', async ({ page }) => {
  await signIn(page, 'tenant-admin@paris.lsp.example', '/');

  // A tenant's own admin has no console: `/` is their tenant app, which opens on Employees.
  await page.waitForURL((url) => /^\/t\/[^/]+\/admin\/employees$/.test(url.pathname));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toContainText('LSP Paris');
  await expect(nav.getByRole('link', { name: 'Tenants' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Employees' })).toBeVisible();
  const employees = page.getByRole('table', { name: 'Employees' });
  await expect(employees.getByRole('row').filter({ hasText: 'Suzanne de Tournay' })).toContainText('Agent');

  await page.getByRole('button', { name: 'Invite employee' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite employee' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Nina Noir');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('nina.noir@paris.lsp.example');
  await dialog.getByRole('combobox', { name: 'Roles' }).click();
  await page.getByRole('option', { name: 'Agent', exact: true }).click();
  await page.keyboard.press('Escape'); // closes the roles list, not the dialog
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();

  const nina = employees.getByRole('row').filter({ hasText: 'Nina Noir' });
  await expect(nina).toContainText('nina.noir@paris.lsp.example');
  await expect(nina).toContainText('Agent');
  await expect(nina).toContainText('Invited');
});
