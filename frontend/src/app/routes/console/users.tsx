import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Users page. */
export function UsersRoute() {
  return (
    <Page title="Users" description="People who can sign in to the console.">
      <ComingSoon description="Invite, edit and deactivate console users here." />
    </Page>
  );
}
