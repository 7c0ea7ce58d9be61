import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Sessions page. */
export function SessionsRoute() {
  return (
    <Page title="Sessions" description="Impersonation sessions, live and ended.">
      <ComingSoon description="Every impersonation session, its reason and timeline, will be listed here." />
    </Page>
  );
}
