import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Audit page. */
export function AuditRoute() {
  return (
    <Page title="Audit" description="The append-only record of every change and access.">
      <ComingSoon description="Search, filter and export the audit trail here." />
    </Page>
  );
}
