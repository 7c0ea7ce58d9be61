import { AuditPage } from '@/features/audit/components/audit-page';

/** The Audit page: the trail, its filters and its export. */
export function AuditRoute() {
  return <AuditPage />;
}
