import { expect, test } from '@playwright/test';

test('sign in through the development provider, then sign out', async ({ page }) => {
  await page.goto('/');

  // No session: the console sends the browser to /auth/login, which goes on to the
  // embedded development provider's page listing the demo users.
  await page.waitForURL((url) => url.pathname.startsWith('/idp'));
  await page.getByRole('button', { name: /tm-admin@classics\.example/ }).click();

  // Back in the console, where `/` leads to Tenants.
  await page.waitForURL((url) => url.pathname === '/tenants');
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  const account = page.getByRole('button', { name: 'Tess Morgan' });
  await expect(account).toBeVisible();

  await account.click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  await page.waitForURL((url) => url.pathname === '/signed-out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');

  // The session is really gone: the console asks for a sign-in again.
  await page.goto('/tenants');
  await page.waitForURL((url) => url.pathname.startsWith('/idp'));
});

test('login_hint signs a demo user straight in and return_to opens the page asked for', async ({ page }) => {
  const pagesShown: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) pagesShown.push(new URL(frame.url()).pathname);
  });

  // Support (Sam Ortiz) may read partners; the console's navigation follows the role.
  await page.goto('/auth/login?login_hint=support@classics.example&return_to=/partners');

  await page.waitForURL((url) => url.pathname === '/partners');
  await expect(page.getByRole('heading', { level: 1, name: 'Partners' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sam Ortiz' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  // Redirects do not commit a page: only a rendered provider page would show up here.
  expect(pagesShown.filter((p) => p.startsWith('/idp'))).toEqual([]);
});
