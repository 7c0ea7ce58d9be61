import { AppShell, Burger, Group, Notification, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, Link, useMatch } from 'react-router';

import classes from '@/app/layout/console-shell.module.css';
import { MainNav } from '@/app/layout/main-nav';
import { TenantAppNav } from '@/app/layout/tenant-app-nav';
import { UserMenu } from '@/app/layout/user-menu';
import { friendlyError } from '@/components/error-message';
import { productName } from '@/config/app';
import { paths } from '@/config/paths';
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

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <a href="#main-content" className={classes.skipLink}>
        Skip to main content
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
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
        {tenantApp?.params.tenantId ? (
          <TenantAppNav tenantId={tenantApp.params.tenantId} onNavigate={nav.close} />
        ) : (
          <MainNav onNavigate={nav.close} />
        )}
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
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
