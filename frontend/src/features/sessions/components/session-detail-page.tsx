import { Anchor, Breadcrumbs, Button, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

import { ConfirmModal } from '@/components/confirm-modal';
import { ErrorPanel } from '@/components/error-panel';
import { NoAccess } from '@/components/no-access';
import { Page } from '@/components/page';
import { SessionEvents, SessionSummary } from '@/components/session-timeline';
import { useToast } from '@/components/toaster';
import { paths } from '@/config/paths';
import { useRevokeSession, useSessionTimeline } from '@/features/sessions/api/sessions';
import { useDialog } from '@/hooks/use-dialog';
import { isActive } from '@/lib/accountability';
import { isApiError } from '@/lib/api-error';
import { useCan } from '@/lib/permissions';

/** One impersonation session: who, where, why and when, then everything done in it, in order. */
export function SessionDetailPage({ sessionId }: { sessionId: string }) {
  const can = useCan();
  const timeline = useSessionTimeline(sessionId);
  const revoke = useRevokeSession();
  const confirm = useDialog<true>();
  const toast = useToast();

  if (isApiError(timeline.error, 'not_found')) {
    return <NoAccess title="Session not found" description="There is no impersonation session at this address within your reach." />;
  }

  const session = timeline.data?.session;
  const title = session ? `${session.actor.name} in ${session.tenant.name}` : 'Session';
  const revokeButton =
    session && isActive(session) && can('impersonation:revoke') ? (
      <Button
        color="red"
        variant="light"
        onClick={() => {
          revoke.reset();
          confirm.open(true);
        }}
      >
        Revoke session
      </Button>
    ) : null;

  return (
    <Stack gap="xs">
      <nav aria-label="Breadcrumb">
        <Breadcrumbs>
          <Anchor component={Link} to={paths.sessions} size="sm">
            Sessions
          </Anchor>
          <Text size="sm" c="dimmed" aria-current="page">
            {session ? title : '…'}
          </Text>
        </Breadcrumbs>
      </nav>
      <Page title={title} description="An impersonation session and everything done in it, in order.">
        {timeline.isError && !timeline.data ? (
          <ErrorPanel error={timeline.error} onRetry={() => void timeline.refetch()} />
        ) : session ? (
          <SessionSummary session={session} actions={revokeButton} />
        ) : (
          <Paper withBorder radius="md" p="lg" aria-hidden>
            <Stack gap="sm">
              <Skeleton height={14} width="30%" />
              <Skeleton height={14} width="60%" />
              <Skeleton height={14} width="45%" />
            </Stack>
          </Paper>
        )}
        {!(timeline.isError && !timeline.data) && (
          <SessionEvents
            events={timeline.data?.events}
            total={timeline.data?.total}
            truncated={timeline.data?.truncated}
            allEvents={
              can('audit:read') && (
                <Anchor component={Link} to={`${paths.audit}?${new URLSearchParams({ sessionId })}`} size="sm">
                  Read them all in the audit trail
                </Anchor>
              )
            }
            loading={timeline.isPending}
          />
        )}
      </Page>
      {session && (
        <ConfirmModal
          opened={confirm.opened}
          onClose={confirm.close}
          title="Revoke this session?"
          confirmLabel="Revoke session"
          danger
          loading={revoke.isPending}
          error={revoke.error}
          onConfirm={() =>
            revoke.mutate(session.id, {
              onSuccess: () => {
                toast({ message: `${session.actor.name}’s session on ${session.tenant.name} ended.` });
                confirm.close();
              },
            })
          }
        >
          {session.actor.name} is sent back to the console as themselves at once, and this session cannot be used again.
        </ConfirmModal>
      )}
    </Stack>
  );
}
