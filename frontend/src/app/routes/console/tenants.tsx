import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Tenants page. */
export function TenantsRoute() {
  return (
    <Page title="Tenants" description="Partner and customer tenants within your reach.">
      <ComingSoon description="Search, create and manage tenants, and start an impersonation from here." />
    </Page>
  );
}
