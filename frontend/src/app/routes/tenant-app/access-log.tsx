import { useParams } from 'react-router';

import { AccessLogEntryPage } from '@/features/tenant-app/access-log/components/access-log-entry-page';
import { AccessLogPage } from '@/features/tenant-app/access-log/components/access-log-page';

/** The tenant's Access Log, `/t/:tenantId/access-log`. */
export function AccessLogRoute() {
  const { tenantId = '' } = useParams();
  return <AccessLogPage key={tenantId} tenantId={tenantId} />;
}

/** One outside access, `/t/:tenantId/access-log/:sessionId`. */
export function AccessLogEntryRoute() {
  const { tenantId = '', sessionId = '' } = useParams();
  return <AccessLogEntryPage key={`${tenantId}/${sessionId}`} tenantId={tenantId} sessionId={sessionId} />;
}
