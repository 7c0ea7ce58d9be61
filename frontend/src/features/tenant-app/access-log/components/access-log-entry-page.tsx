import { Anchor, Breadcrumbs, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

import { ErrorPanel } from '@/components/error-panel';
import { NoAccess } from '@/components/no-access';
import { Page } from '@/components/page';
import { SessionEvents, SessionSummary } from '@/components/session-timeline';
import { paths } from '@/config/paths';
import { useAccessLogEntry } from '@/features/tenant-app/access-log/api/access-log';
import { isApiError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

/** One outside access to the tenant: who, why and when, then what they did, in order. */
export function AccessLogEntryPage({ tenantId, sessionId }: { tenantId: string; sessionId: string }) {
  const entry = useAccessLogEntry(tenantId, sessionId);

  if (isApiError(entry.error, 'not_found')) {
    return <NoAccess title="Access not found" description="This tenant’s Access Log has no entry at this address." />;
  }
  const session = entry.data?.session;
  const title = session ? `${session.actor.name}, ${formatDateTime(session.startedAt)}` : 'Access';

  return (
    <Stack gap="xs">
      <nav aria-label="Breadcrumb">
        <Breadcrumbs>
          <Anchor component={Link} to={paths.tenantApp.accessLog(tenantId)} size="sm">
            Access Log
          </Anchor>
          <Text size="sm" c="dimmed" aria-current="page">
            {session ? title : '…'}
          </Text>
        </Breadcrumbs>
      </nav>
      <Page title={title} description="Someone from outside your organisation in this tenant, and what they did, in order.">
        {entry.isError && !entry.data ? (
          <ErrorPanel error={entry.error} onRetry={() => void entry.refetch()} />
        ) : (
          <>
            {session ? (
              <SessionSummary session={session} hideTenant />
            ) : (
              <Paper withBorder radius="md" p="lg" aria-hidden>
                <Stack gap="sm">
                  <Skeleton height={14} width="30%" />
                  <Skeleton height={14} width="60%" />
                </Stack>
              </Paper>
            )}
            <SessionEvents
              events={entry.data?.events}
              total={entry.data?.total}
              truncated={entry.data?.truncated}
              loading={entry.isPending}
            />
          </>
        )}
      </Page>
    </Stack>
  );
}
