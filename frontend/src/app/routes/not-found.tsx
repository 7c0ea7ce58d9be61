import { Button } from '@mantine/core';
import { Link } from 'react-router';

import { consoleSections } from '@/app/navigation';
import { Page } from '@/components/page';
import { paths } from '@/config/paths';
import { useCurrentUser } from '@/lib/auth';
import { useCan } from '@/lib/permissions';

/** Any URL that matches no page. It offers the way home. */
export function NotFoundRoute() {
  const me = useCurrentUser();
  const can = useCan();
  const first = me.home.kind === 'customer' ? undefined : consoleSections.find((s) => can(s.permission));
  return (
    <Page title="Page not found" description="There is no page at this address. It may have moved, or the link may be mistyped.">
      <div>
        <Button component={Link} to={first?.to ?? paths.home}>
          {first ? `Go to ${first.label}` : 'Go to the start page'}
        </Button>
      </div>
    </Page>
  );
}
