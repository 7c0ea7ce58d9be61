import { AppShell, Burger, Group, Notification, Text } from '@mantine/core';
import { useDisclosure, useElementSize } from '@mantine/hooks';
import { Outlet, Link, useMatch } from 'react-router';

import classes from '@/app/layout/console-shell.module.css';
import { MainNav } from '@/app/layout/main-nav';
import { TenantAppNav } from '@/app/layout/tenant-app-nav';
import { UserMenu } from '@/app/layout/user-menu';
import { friendlyError } from '@/components/error-message';
import { productName } from '@/config/app';
import { paths } from '@/config/paths';
import { ImpersonationBar } from '@/features/impersonation/components/impersonation-bar';
import { AccessNoticeBanner } from '@/features/tenant-app/access-log/components/access-notice';
import { useCurrentUser, useSignOut } from '@/lib/auth';

/**
 * The app's frame: header (product, signed-in user, sign out), the navigation (a drawer on small
 * screens) and the main landmark where pages render. Under `/t/:tenantId` the navigation is the
 * tenant app's; everywhere else it is the console's.
 */
export function ConsoleShell() {
  const me = useCurrentUser();
  const signOut = useSignOut();
  const [navOpened, nav] = useDisclosure(false);
  const tenantApp = useMatch('/t/:tenantId/*');
  // While impersonating, the navigation is the impersonated tenant's, whatever the address.
  const tenantAppId = me.impersonation?.tenant.id ?? tenantApp?.params.tenantId;
  // The impersonation bar takes its own room above the header row, never covering the page.
  const impersonationBar = useElementSize();

  return (
    <AppShell header={{ height: 56 + impersonationBar.height }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <a href="#main-content" className={classes.skipLink}>
        Skip to main content
      </a>
      <AppShell.Header>
        <div ref={impersonationBar.ref}>
          <ImpersonationBar />
        </div>
        <Group h={56} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpened}
              aria-controls="main-navigation"
            />
            <Text component={Link} to={paths.home} fw={700} size="lg" c="inherit" td="none" aria-label={`${productName} home`}>
              {productName}
            </Text>
          </Group>
          <UserMenu me={me} onSignOut={() => signOut.mutate()} signingOut={signOut.isPending} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="main-navigation" aria-label="Main">
        {tenantAppId ? (
          <TenantAppNav tenantId={tenantAppId} onNavigate={nav.close} />
        ) : (
          <MainNav onNavigate={nav.close} />
        )}
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
        {tenantApp?.params.tenantId && <AccessNoticeBanner tenantId={tenantApp.params.tenantId} />}
        <Outlet />
      </AppShell.Main>

      {signOut.isError && (
        <Notification
          color="red"
          title="Sign out did not complete"
          onClose={signOut.reset}
          closeButtonProps={{ 'aria-label': 'Dismiss' }}
          role="alert"
          pos="fixed"
          bottom={16}
          right={16}
          maw={400}
          style={{ zIndex: 1000 }}
        >
          {friendlyError(signOut.error).message || 'Try again.'}
        </Notification>
      )}
    </AppShell>
  );
}
