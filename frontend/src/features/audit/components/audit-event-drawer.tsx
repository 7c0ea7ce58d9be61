import { Anchor, Code, Drawer, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import { ChangeDiff } from '@/components/change-diff';
import { DetailField } from '@/components/detail-field';
import { OutcomeBadge } from '@/components/outcome-badge';
import { paths } from '@/config/paths';
import { actionLabel, actorWords, type AuditEvent } from '@/lib/accountability';
import { formatDateTime } from '@/lib/format';

interface AuditEventDrawerProps {
  event: AuditEvent | null;
  opened: boolean;
  onClose: () => void;
  /** The tenant's name, when known. */
  tenantName?: string;
  /** Whether to link the session to its timeline. */
  linkSessions: boolean;
}

function Mono({ children }: { children: string | null | undefined }) {
  return children ? <Code style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>{children}</Code> : <>—</>;
}

/** Everything one audit event records: who, what, where from, the change, and its place in the chain. */
export function AuditEventDrawer({ event: e, opened, onClose, tenantName, linkSessions }: AuditEventDrawerProps) {
  const who = e ? actorWords(e) : undefined;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      title={e ? actionLabel(e.action) : 'Event'}
      closeButtonProps={{ 'aria-label': 'Close event details' }}
    >
      {e && who && (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" component="dl" m={0}>
            <DetailField label="Time">{formatDateTime(e.time)}</DetailField>
            <DetailField label="Outcome">
              <OutcomeBadge outcome={e.outcome} />
            </DetailField>
            <DetailField label="Action">
              <Mono>{e.action}</Mono>
            </DetailField>
            <DetailField label="Acting user">
              {who.actor}
              {e.actor.email && (
                <Text span size="sm" c="dimmed">
                  {' '}
                  ({e.actor.email})
                </Text>
              )}
            </DetailField>
            <DetailField label="Effective principal">
              {e.principal?.name || who.actor}
              {who.onBehalfOf && (
                <Text span size="sm" c="dimmed">
                  {' '}
                  ({who.actor} acted on behalf of {who.onBehalfOf})
                </Text>
              )}
            </DetailField>
            <DetailField label="Impersonation session">
              {e.sessionId ? (
                linkSessions ? (
                  <Anchor component={Link} to={paths.session(e.sessionId)} size="sm">
                    {e.sessionId}
                  </Anchor>
                ) : (
                  <Mono>{e.sessionId}</Mono>
                )
              ) : (
                'None'
              )}
            </DetailField>
            <DetailField label="Tenant">{e.tenantId ? (tenantName ?? <Mono>{e.tenantId}</Mono>) : '—'}</DetailField>
            <DetailField label="Target">
              {e.target?.type ? (
                <>
                  {e.target.type} <Mono>{e.target.id}</Mono>
                </>
              ) : (
                '—'
              )}
            </DetailField>
            {e.detail && <DetailField label="Detail">{e.detail}</DetailField>}
            <DetailField label="IP address">
              <Mono>{e.ip}</Mono>
            </DetailField>
            <DetailField label="User-Agent">{e.userAgent || '—'}</DetailField>
            <DetailField label="Request ID">
              <Mono>{e.requestId}</Mono>
            </DetailField>
            <DetailField label="Event ID">
              <Mono>{e.id}</Mono>
            </DetailField>
          </SimpleGrid>

          <Stack gap="xs" component="section" aria-label="Change">
            <Title order={3} size="h5">
              Before and after
            </Title>
            <ChangeDiff before={e.before} after={e.after} />
            <Text size="xs" c="dimmed">
              Personal data is never kept in the trail: it reads “[redacted]”, or “[redacted: changed]” where the change altered it.
            </Text>
          </Stack>

          <Stack gap="xs" component="section" aria-label="Hash chain">
            <Title order={3} size="h5">
              Hash chain
            </Title>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" component="dl" m={0}>
              <DetailField label="Chain">
                <Mono>{e.chain}</Mono>
              </DetailField>
              <DetailField label="Position">{e.chainSeq !== undefined ? `#${e.chainSeq.toLocaleString()}` : '—'}</DetailField>
              <DetailField label="Hash">
                <Mono>{e.hash}</Mono>
              </DetailField>
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              Each event’s hash covers the one before it in its chain, so any later change to the trail shows up when it
              is verified (<Code>regent audit verify</Code>).
            </Text>
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}
