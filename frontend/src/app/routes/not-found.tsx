import { Button } from '@mantine/core';
import { Link } from 'react-router';

import { Page } from '@/components/page';
import { paths } from '@/config/paths';

/** Any console URL that matches no page. */
export function NotFoundRoute() {
  return (
    <Page title="Page not found" description="There is no page at this address. It may have moved, or the link may be mistyped.">
      <div>
        <Button component={Link} to={paths.tenants}>
          Go to Tenants
        </Button>
      </div>
    </Page>
  );
}
