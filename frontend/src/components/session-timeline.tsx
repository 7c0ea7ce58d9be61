import { Alert, Badge, Button, Code, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState, type ReactNode } from 'react';

import { ChangeDiff } from '@/components/change-diff';
import { DetailField } from '@/components/detail-field';
import { IconChevronDown, IconChevronUp } from '@/components/icons';
import { OutcomeBadge } from '@/components/outcome-badge';
import {
  actionLabel,
  endReasonLabel,
  isActive,
  modeLabel,
  restrictionLabel,
  type AuditEvent,
  type ImpersonationSession,
} from '@/lib/accountability';
import { formatDateTime, formatRelative, plural } from '@/lib/format';

/** "Active" or "Ended", as a badge. */
export function SessionStatusBadge({ session }: { session: Pick<ImpersonationSession, 'active' | 'endedAt'> }) {
  return isActive(session) ? (
    <Badge color="orange" variant="light" radius="sm" miw="max-content">
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="light" radius="sm" miw="max-content">
      Ended
    </Badge>
  );
}

/** The mode as a badge: "Support" or "Configure". */
export function ModeBadge({ mode }: { mode: string }) {
  return (
    <Badge color={mode === 'configure' ? 'violet' : 'blue'} variant="outline" radius="sm" miw="max-content">
      {modeLabel(mode)}
    </Badge>
  );
}

function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return (
    <span title={formatRelative(iso)}>
      {formatDateTime(iso)}
    </span>
  );
}

interface SessionSummaryProps {
  session: ImpersonationSession;
  /** Leave the tenant out (the tenant's own Access Log knows which tenant it is). */
  hideTenant?: boolean;
  /** Shown beside the heading, e.g. a "Revoke" button. */
  actions?: ReactNode;
}

/** The header card of a session: who, where, how, why, when and under which restrictions. */
export function SessionSummary({ session: s, hideTenant = false, actions }: SessionSummaryProps) {
  const active = isActive(s);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Session">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <SessionStatusBadge session={s} />
            <ModeBadge mode={s.mode} />
          </Group>
          {actions}
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="lg" component="dl" m={0}>
          <DetailField label="Who">
            {s.actor.name}
            {s.actor.email && (
              <Text span size="sm" c="dimmed">
                {' '}
                ({s.actor.email})
              </Text>
            )}
          </DetailField>
          <DetailField label="Acting as">{s.principal.name}</DetailField>
          {!hideTenant && <DetailField label="Tenant">{s.tenant.name}</DetailField>}
          <DetailField label="Mode">Impersonate &amp; {modeLabel(s.mode)}</DetailField>
          <DetailField label="Started">
            <When iso={s.startedAt} />
          </DetailField>
          {active ? (
            <DetailField label="Ends at the latest">
              <When iso={s.expiresAt} />
            </DetailField>
          ) : (
            <DetailField label="Ended">
              <When iso={s.endedAt} />
            </DetailField>
          )}
          {!active && <DetailField label="End reason">{endReasonLabel(s.endReason) || '—'}</DetailField>}
          <DetailField label="Restrictions">
            {s.restrictions.length > 0 ? (
              <Group gap={6} component="span">
                {s.restrictions.map((r) => (
                  <Badge key={r} variant="default" radius="sm" tt="none" fw={500} component="span">
                    {restrictionLabel(r)}
                  </Badge>
                ))}
              </Group>
            ) : (
              'None'
            )}
          </DetailField>
          <DetailField label="Session ID">
            <Code>{s.id}</Code>
          </DetailField>
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Reason
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {s.reason || '—'}
          </Text>
        </Stack>
      </Stack>
    </Paper>
  );
}

function target(e: AuditEvent): string {
  if (!e.target?.type) return '—';
  return e.target.id ? `${e.target.type} ${e.target.id}` : e.target.type;
}

function EventRow({ event, columns }: { event: AuditEvent; columns: number }) {
  const [open, setOpen] = useState(false);
  const hasChanges = event.before !== undefined || event.after !== undefined;
  const detailsId = `event-${event.id}-changes`;
  return (
    <>
      <Table.Tr>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Text size="sm">{formatDateTime(event.time)}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={500}>
            {actionLabel(event.action)}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {event.action}
          </Text>
          {event.detail && (
            <Text size="xs" c="dimmed">
              {event.detail}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {target(event)}
          </Text>
        </Table.Td>
        <Table.Td>
          <OutcomeBadge outcome={event.outcome} />
        </Table.Td>
        <Table.Td ta="right">
          {hasChanges && (
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-controls={detailsId}
              rightSection={open ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
            >
              {open ? 'Hide changes' : 'Show changes'}
            </Button>
          )}
        </Table.Td>
      </Table.Tr>
      {hasChanges && open && (
        <Table.Tr id={detailsId}>
          <Table.Td colSpan={columns} bg="var(--mantine-color-gray-light)">
            <ChangeDiff before={event.before} after={event.after} label={`Changes: ${actionLabel(event.action)}`} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

interface SessionEventsProps {
  events: AuditEvent[] | undefined;
  /** How many events the session has (the server sends only the first of a long session's). */
  total?: number;
  /** Whether `events` holds only the first of the session's events. */
  truncated?: boolean;
  /** Where to read every event, offered when the list is cut short. */
  allEvents?: ReactNode;
  loading?: boolean;
  /** The heading over the list. */
  title?: string;
}

/**
 * What was done in a session, in order, each change with its before/after on demand. A list
 * the server cut short says so above it, so that it never passes for all there was.
 */
export function SessionEvents({
  events,
  total,
  truncated = false,
  allEvents,
  loading = false,
  title = 'What was done',
}: SessionEventsProps) {
  const columns = 5;
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {truncated && events && (
        <Alert color="yellow" variant="light" role="status" title="Not every event of this session is listed">
          <Stack gap={4}>
            <Text size="sm">
              Showing the first {plural(events.length, 'event')} of {(total ?? events.length).toLocaleString()}, in order. The
              later ones are not listed here.
            </Text>
            {allEvents}
          </Stack>
        </Alert>
      )}
      {loading && !events ? (
        <Stack gap="xs" aria-hidden>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} height={28} radius="sm" />
          ))}
        </Stack>
      ) : events && events.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing is on record for this session yet.
        </Text>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={640} type="native">
            <Table aria-label="Session events" verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Time</Table.Th>
                  <Table.Th scope="col">Action</Table.Th>
                  <Table.Th scope="col">Target</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>Changes</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events?.map((e) => (
                  <EventRow key={e.id} event={e} columns={columns} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
