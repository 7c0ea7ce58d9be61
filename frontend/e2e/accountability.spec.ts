import { expect, test, type Page } from '@playwright/test';

/** Signs a demo user straight in (the development provider honours login_hint) and opens `path`. */
async function signIn(page: Page, email: string, path: string) {
  await page.goto(`/auth/login?${new URLSearchParams({ login_hint: email, return_to: path })}`);
}

test('a TM Admin reads the audit trail, opens an event, and shortens the idle timeout', async ({ page }) => {
  await signIn(page, 'tm-admin@classics.example', '/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();

  // Her own sign-in is on record, newest first.
  const events = page.getByRole('table', { name: 'Audit events' });
  const signInRow = events.getByRole('row').filter({ hasText: 'auth.login' }).filter({ hasText: 'Tess Morgan' }).first();
  await expect(signInRow).toContainText('Signed in');
  await expect(signInRow).toContainText('Success');

  await signInRow.getByRole('button', { name: 'Signed in' }).click();
  const drawer = page.getByRole('dialog', { name: 'Signed in' });
  await expect(drawer).toContainText('tm-admin@classics.example');
  await expect(drawer.getByRole('region', { name: 'Hash chain' })).toContainText('#');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // A prefix filter goes into the address and narrows the list to sign-in events.
  await page.getByRole('textbox', { name: 'Action' }).fill('auth.');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('action') === 'auth.');
  await expect(events.getByRole('row').nth(1)).toContainText('auth.');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/audit/export?format=csv&action=auth.');

  // Settings: the idle timeout goes from 15 to 20 minutes.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const idle = page.getByRole('textbox', { name: 'Idle timeout (minutes)' });
  await expect(idle).toHaveValue('15');
  await idle.fill('20');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Impersonation policy saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Idle timeout (minutes)' })).toHaveValue('20');

  // The change is on record, with its before and after.
  await page.goto('/audit?action=impersonation_policy.update');
  await page.getByRole('table', { name: 'Audit events' }).getByRole('button', { name: 'Impersonation policy changed' }).first().click();
  const change = page.getByRole('dialog', { name: 'Impersonation policy changed' }).getByRole('table', { name: 'Changes' });
  const idleRow = change.getByRole('row').filter({ hasText: 'idleTimeoutMinutes' });
  await expect(idleRow).toContainText('15');
  await expect(idleRow).toContainText('20');
  await expect(idleRow).toHaveAttribute('data-changed', 'true');
});

test('a tenant admin learns of outside access and reads it in the Access Log', async ({ browser }) => {
  // Sam (Support) steps into LSP Paris through the API, as the console's dialog would.
  const support = await browser.newContext();
  const sam = await support.newPage();
  await signIn(sam, 'support@classics.example', '/tenants');
  await expect(sam.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  const me = await (await sam.request.get('/api/me')).json();
  const tenants = await (await sam.request.get('/api/tenants?q=LSP%20Paris')).json();
  const paris = tenants.items.find((t: { name: string }) => t.name === 'LSP Paris');
  const start = await sam.request.post(`/api/tenants/${paris.id}/impersonations`, {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { mode: 'support', reason: 'Ticket 4711: an employee cannot sign in' },
  });
  expect(start.status()).toBe(201);

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, 'tenant-admin@paris.lsp.example', '/');
  await admin.waitForURL((url) => /^\/t\/[^/]+\/admin\/employees$/.test(url.pathname));

  const notice = admin.getByRole('alert').filter({ hasText: 'since your last visit' });
  await expect(notice).toContainText('latest by Sam Ortiz');
  await expect(notice).toContainText('Someone from support is in your tenant right now');

  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access Log' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Access Log' })).toBeVisible();
  const row = admin.getByRole('table', { name: 'Access Log' }).getByRole('row').filter({ hasText: 'Sam Ortiz' }).first();
  await expect(row).toContainText('Ticket 4711');
  await expect(row).toContainText('In progress');
  // Seen: the count goes; that someone is in right now stays.
  await expect(admin.getByRole('alert').filter({ hasText: 'since your last visit' })).toHaveCount(0);
  await expect(admin.getByRole('alert').filter({ hasText: 'Someone from support is in your tenant right now' })).toBeVisible();

  await row.getByRole('link', { name: 'Sam Ortiz' }).click();
  await expect(admin.getByRole('region', { name: 'Session' })).toContainText('Ticket 4711: an employee cannot sign in');
  await expect(admin.getByRole('table', { name: 'Session events' })).toContainText('Impersonation started');

  // Sam stops; the tenant's admin then sees the access as ended.
  const during = await (await sam.request.get('/api/me')).json();
  expect((await sam.request.delete('/api/impersonation', { headers: { 'X-CSRF-Token': during.csrfToken } })).status()).toBe(204);
  await admin.reload();
  await expect(admin.getByRole('region', { name: 'Session' })).toContainText('Stopped by the user');
  await expect(admin.getByRole('alert').filter({ hasText: 'in your tenant right now' })).toHaveCount(0);
});
