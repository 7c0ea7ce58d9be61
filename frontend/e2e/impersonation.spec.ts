import { expect, test, type Page } from '@playwright/test';

/** Signs a demo user straight in (the development provider honours login_hint) and opens `path`. */
async function signIn(page: Page, email: string, path: string) {
  await page.goto(`/auth/login?${new URLSearchParams({ login_hint: email, return_to: path })}`);
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
}

/** Opens a tenant's ⋮ menu on the Tenants page and picks `item`. */
async function chooseAction(page: Page, tenant: string, item: string) {
  await page.getByRole('button', { name: `Actions for ${tenant}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Starts an impersonation from the Tenants page through the reason dialog. */
async function impersonate(page: Page, tenant: string, mode: 'Support' | 'Configure', reason: string) {
  await expect(page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: tenant })).toBeVisible();
  await chooseAction(page, tenant, `Impersonate & ${mode}`);
  const dialog = page.getByRole('dialog', { name: `Impersonate & ${mode}: ${tenant}` });
  await dialog.getByRole('textbox', { name: 'Reason (ticket number etc.)' }).fill(reason);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
}

const tenantApp = (section: string) => (url: URL) => new RegExp(`^/t/[^/]+/${section}$`).test(url.pathname);

test('Support steps into LSP Paris, looks around with the bar in every view, and stops', async ({ page }) => {
  await signIn(page, 'support@classics.example', '/tenants');
  await impersonate(page, 'LSP Paris', 'Support', 'SUP-4711: an agent cannot sign in');

  // The Support mode lands on the tenant app's Employees page, as the tenant's admin sees it.
  await page.waitForURL(tenantApp('admin/employees'));
  await expect(page.getByRole('heading', { level: 1, name: 'Employees' })).toBeVisible();
  const bar = page.getByRole('region', { name: 'Impersonation' });
  await expect(bar.getByText('You are currently impersonating Impersonated Admin on tenant LSP Paris', { exact: true })).toBeVisible();
  await expect(bar).toContainText('Impersonate & Support');
  await expect(bar).toContainText('by Sam Ortiz');
  await expect(bar).toContainText(/Time left \d\d:\d\d/);
  // The console is out of sight: the navigation is the tenant's.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toContainText('LSP Paris');
  await expect(nav.getByRole('link', { name: 'Tenants' })).toHaveCount(0);
  // The hidden account is nowhere in the list.
  await expect(page.getByRole('table', { name: 'Employees' })).not.toContainText('Impersonated Admin');

  // Detailed: the reason, the session id and the restrictions.
  const details = bar.getByRole('button', { name: 'Details' });
  await details.click();
  await expect(details).toHaveAttribute('aria-expanded', 'true');
  await expect(bar).toContainText('SUP-4711: an agent cannot sign in');
  await expect(bar).toContainText('Session ID');
  await expect(bar).toContainText('Exports are switched off.');

  // Minimised: one button in a corner, which brings the bar back.
  await bar.getByRole('button', { name: 'Minimise impersonation bar' }).click();
  await expect(page.getByText('You are currently impersonating', { exact: false })).toHaveCount(0);
  const restore = page.getByRole('button', { name: 'Show impersonation bar' });
  await expect(restore).toBeFocused();
  await restore.click();
  await expect(bar).toContainText('You are currently impersonating Impersonated Admin on tenant LSP Paris');

  // Deeper into the tenant: the bar comes along.
  await nav.getByRole('link', { name: 'Contacts' }).click();
  await page.waitForURL(tenantApp('contacts'));
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await expect(bar).toContainText('LSP Paris');

  // The console is closed while impersonating: its pages open the landing page instead.
  await page.goto('/users');
  await page.waitForURL(tenantApp('admin/employees'));
  await expect(bar).toBeVisible();

  // Stop: back on the tenant's page in the console, as oneself.
  await bar.getByRole('button', { name: 'Stop impersonating' }).click();
  await page.waitForURL((url) => /^\/tenants\/[^/]+$/.test(url.pathname));
  await expect(page.getByRole('heading', { level: 1, name: 'LSP Paris' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Impersonation' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Tenants' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sam Ortiz' })).toBeVisible();
});

test('Configure changes Acme Retail as Impersonated Admin; a stop in one tab is followed in another', async ({ page, context }) => {
  await signIn(page, 'implementer@classics.example', '/tenants');
  await impersonate(page, 'Acme Retail', 'Configure', 'CFG-802: set up the night shift');

  await page.waitForURL(tenantApp('acd/business-units'));
  await expect(page.getByRole('heading', { level: 1, name: 'Business Units' })).toBeVisible();
  const bar = page.getByRole('region', { name: 'Impersonation' });
  await expect(bar).toContainText('You are currently impersonating Impersonated Admin on tenant Acme Retail');
  await expect(bar).toContainText('Impersonate & Configure');

  // Unique, so that the journey can run again against the same database.
  const unit = `Night Shift ${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'New business unit' }).click();
  const dialog = page.getByRole('dialog', { name: 'New business unit' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(unit);
  await dialog.getByRole('button', { name: 'Create business unit' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('table', { name: 'Business units' }).getByRole('row').filter({ hasText: unit });
  await expect(row).toContainText('Created by Impersonated Admin');

  // A second tab of the same browser is in the same session: the console sends it into the tenant.
  const second = await context.newPage();
  await second.goto('/tenants');
  await second.waitForURL(tenantApp('acd/business-units'));
  const secondBar = second.getByRole('region', { name: 'Impersonation' });
  await expect(secondBar).toContainText('Acme Retail');

  await bar.getByRole('button', { name: 'Stop impersonating' }).click();
  await page.waitForURL((url) => /^\/tenants\/[^/]+$/.test(url.pathname));
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Retail' })).toBeVisible();

  // The other tab follows within seconds: no bar, out of the tenant, back in the console.
  await expect(secondBar).toHaveCount(0, { timeout: 5000 });
  await expect(second).toHaveURL((url) => /^\/tenants\/[^/]+$/.test(url.pathname), { timeout: 5000 });
  await expect(second.getByRole('heading', { level: 1, name: 'Acme Retail' })).toBeVisible();
});

test('Partner Support is offered Impersonate & Support only', async ({ page }) => {
  await signIn(page, 'partner-support@lsp.example', '/tenants');
  await expect(page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'LSP Paris' })).toBeVisible();

  await page.getByRole('button', { name: 'Actions for LSP Paris' }).click();
  await expect(page.getByRole('menuitem')).toHaveText(['Open', 'Impersonate & Support']);
});

test('a session revoked by a TM Admin ends with a page that says why', async ({ page, browser }) => {
  await signIn(page, 'support@classics.example', '/tenants');
  await impersonate(page, 'LSP London', 'Support', 'SUP-5000: check an employee record');
  await page.waitForURL(tenantApp('admin/employees'));
  await expect(page.getByRole('region', { name: 'Impersonation' })).toContainText('LSP London');

  // Tess, the TM Admin, ends it from her own browser.
  const admin = await browser.newContext();
  const tess = await admin.newPage();
  await signIn(tess, 'tm-admin@classics.example', '/tenants');
  const revoked = await tess.evaluate(async () => {
    const me = await (await fetch('/api/me')).json();
    const sessions = await (await fetch('/api/impersonations?active=true')).json();
    const live = sessions.items.find((s: { tenant: { name: string } }) => s.tenant.name === 'LSP London');
    const res = await fetch(`/api/impersonations/${live.id}/revoke`, { method: 'POST', headers: { 'X-CSRF-Token': me.csrfToken } });
    return res.status;
  });
  expect(revoked).toBe(204);
  await admin.close();

  // Sam's tab learns within seconds, and is told why before signing in again.
  await expect(page.getByRole('heading', { level: 1, name: 'Your impersonation session has ended' })).toBeVisible({ timeout: 5000 });
  await expect(page.getByText('It ended because a TM Admin ended it.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Impersonation' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Continue as yourself' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/idp') || url.pathname === '/tenants');
});
