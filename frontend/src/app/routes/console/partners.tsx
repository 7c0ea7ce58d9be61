import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Partners page. */
export function PartnersRoute() {
  return (
    <Page title="Partners" description="Partner organisations and the tenants they own.">
      <ComingSoon description="Partners and their child tenants will be listed here." />
    </Page>
  );
}
