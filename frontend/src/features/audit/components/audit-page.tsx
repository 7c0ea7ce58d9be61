import { Alert, Anchor, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';

import { DataTable, type DataTableColumn } from '@/components/data-table';
import { fieldErrorsOf } from '@/components/mutation-error';
import { friendlyError } from '@/components/error-message';
import { IconDownload } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListToolbar } from '@/components/list-toolbar';
import { OutcomeBadge } from '@/components/outcome-badge';
import { Page } from '@/components/page';
import { paths } from '@/config/paths';
import { auditExportUrl, useAuditEvents, useAuditTenantOptions, type AuditFilters } from '@/features/audit/api/audit';
import { AuditEventDrawer } from '@/features/audit/components/audit-event-drawer';
import { TextFilter } from '@/features/audit/components/text-filter';
import { useListParams } from '@/hooks/use-list-params';
import { actionLabel, actorWords, type AuditEvent } from '@/lib/accountability';
import { useCurrentUser } from '@/lib/auth';
import { formatDateTime, formatRelative, plural } from '@/lib/format';
import { useCan } from '@/lib/permissions';

const filterNames = ['tenantId', 'action', 'sessionId', 'actorId'] as const;

const filterLabels = { tenantId: 'Tenant', action: 'Action', sessionId: 'Session ID', actorId: 'Actor ID' };

/**
 * The audit trail, newest first: filters (tenant, action or action prefix, session, actor) in the
 * URL, "Load more" for older events, each event's details in a drawer, and the export.
 */
export function AuditPage() {
  const can = useCan();
  const me = useCurrentUser();
  const list = useListParams(filterNames);
  const filters: AuditFilters = list.filters;
  const events = useAuditEvents(filters);
  const tenants = useAuditTenantOptions();
  const [selected, setSelected] = useState<{ event: AuditEvent; opened: boolean } | null>(null);
  const linkSessions = can('impersonation:sessions');

  // The tenants in reach, and the caller's own home (the platform is not in the tenant list).
  const tenantNames = useMemo(
    () => new Map([[me.home.id, me.home.name], ...(tenants.data ?? []).map((t) => [t.id, t.name] as [string, string])]),
    [tenants.data, me.home.id, me.home.name],
  );
  const tenantOptions = useMemo(() => {
    const options = [...tenantNames].map(([value, label]) => ({ value, label }));
    // A tenant beyond the first hundred (from a shared link) still shows as chosen.
    if (filters.tenantId && !tenantNames.has(filters.tenantId)) options.unshift({ value: filters.tenantId, label: filters.tenantId });
    return options;
  }, [tenantNames, filters.tenantId]);

  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.items), [events.data]);
  const filterErrors = fieldErrorsOf(events.error, filterLabels);
  const open = (event: AuditEvent) => setSelected({ event, opened: true });

  const columns: DataTableColumn<AuditEvent>[] = [
    {
      key: 'time',
      header: 'Time',
      width: 170,
      render: (e) => (
        <Stack gap={0}>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(e.time)}
          </Text>
          <Text size="xs" c="dimmed">
            {formatRelative(e.time)}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'action',
      header: 'Action',
      render: (e) => (
        <Stack gap={0} align="flex-start">
          <Anchor component="button" type="button" onClick={() => open(e)} size="sm" fw={500} ta="left" aria-haspopup="dialog" title="Show the event’s details">
            {actionLabel(e.action)}
          </Anchor>
          <Text size="xs" c="dimmed" ff="monospace">
            {e.action}
          </Text>
        </Stack>
      ),
    },
    { key: 'outcome', header: 'Outcome', render: (e) => <OutcomeBadge outcome={e.outcome} /> },
    {
      key: 'who',
      header: 'Who',
      render: (e) => {
        const who = actorWords(e);
        return (
          <Stack gap={0} align="flex-start">
            <Text size="sm">{who.onBehalfOf ? `${who.actor} on behalf of ${who.onBehalfOf}` : who.actor}</Text>
            {e.sessionId &&
              (linkSessions ? (
                <Anchor component={Link} to={paths.session(e.sessionId)} size="xs">
                  Impersonation session
                </Anchor>
              ) : (
                <Anchor component="button" type="button" size="xs" onClick={() => list.setFilter('sessionId', e.sessionId)}>
                  Events of this session
                </Anchor>
              ))}
          </Stack>
        );
      },
    },
    {
      key: 'tenant',
      header: 'Tenant',
      render: (e) =>
        e.tenantId ? (
          tenantNames.has(e.tenantId) ? (
            <Text size="sm">{tenantNames.get(e.tenantId)}</Text>
          ) : (
            <Text size="xs" c="dimmed" ff="monospace" truncate maw={160} title={e.tenantId}>
              {e.tenantId}
            </Text>
          )
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    {
      key: 'target',
      header: 'Target',
      render: (e) =>
        e.target?.type ? (
          <Stack gap={0}>
            <Text size="sm">{e.target.type}</Text>
            {e.target.id && (
              <Text size="xs" c="dimmed" ff="monospace" truncate maw={180} title={e.target.id}>
                {e.target.id}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
  ];

  const actions = can('audit:export') ? (
    <Group gap="sm">
      {/* Plain links: the browser saves the stream as it arrives, whatever its size. */}
      <Button component="a" href={auditExportUrl('csv', filters)} download variant="default" leftSection={<IconDownload size={16} />}>
        Export CSV
      </Button>
      <Button component="a" href={auditExportUrl('jsonl', filters)} download variant="default" leftSection={<IconDownload size={16} />}>
        Export JSON lines
      </Button>
    </Group>
  ) : null;

  return (
    <Page title="Audit" description="The append-only record of every change, sign-in and impersonation, newest first." actions={actions}>
      <Stack gap="md">
        <Stack gap={4}>
          <ListToolbar>
            <Select
              label="Tenant"
              placeholder="All tenants"
              data={tenantOptions}
              value={filters.tenantId ?? null}
              onChange={(v) => list.setFilter('tenantId', v)}
              error={filterErrors.tenantId}
              clearable
              searchable
              nothingFoundMessage="No tenant by that name"
              w={{ base: '100%', sm: 240 }}
            />
            <TextFilter label="Action" placeholder="e.g. impersonation." value={filters.action ?? ''} onChange={(v) => list.setFilter('action', v)} error={filterErrors.action} w={240} />
            <TextFilter label="Session ID" value={filters.sessionId ?? ''} onChange={(v) => list.setFilter('sessionId', v)} error={filterErrors.sessionId} />
            <TextFilter label="Actor ID" value={filters.actorId ?? ''} onChange={(v) => list.setFilter('actorId', v)} error={filterErrors.actorId} />
            {list.narrowed && (
              <Button variant="subtle" onClick={list.clearAll}>
                Clear filters
              </Button>
            )}
          </ListToolbar>
          <Text size="xs" c="dimmed">
            Action takes an exact name, or a prefix ending in a dot: “impersonation.” finds every impersonation event.
          </Text>
        </Stack>

        <DataTable
          label="Audit events"
          columns={columns}
          rows={Object.keys(filterErrors).length > 0 ? [] : rows}
          rowKey={(e) => e.id}
          loading={events.isPending}
          fetching={events.isFetching && !events.isFetchingNextPage && !events.isPending}
          error={Object.keys(filterErrors).length > 0 ? undefined : events.error}
          onRetry={() => void events.refetch()}
          empty={<ListEmpty noun="events" narrowed={list.narrowed} onClear={list.clearAll} description="Events appear here as people sign in and make changes." />}
        />

        {rows && rows.length > 0 && (
          <Group justify="space-between" gap="md">
            <Text size="sm" c="dimmed" aria-live="polite">
              {events.hasNextPage ? `The latest ${plural(rows.length, 'event')}` : `${plural(rows.length, 'event')}, back to the first one`}
            </Text>
            {events.hasNextPage && (
              <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
        )}
        {events.isFetchNextPageError && (
          <Alert color="red" variant="light" role="alert" title="Older events could not be loaded">
            <Text size="sm">{friendlyError(events.error).message}</Text>
          </Alert>
        )}
      </Stack>

      <AuditEventDrawer
        event={selected?.event ?? null}
        opened={!!selected?.opened}
        onClose={() => setSelected((s) => (s ? { ...s, opened: false } : s))}
        tenantName={selected?.event.tenantId ? tenantNames.get(selected.event.tenantId) : undefined}
        linkSessions={linkSessions}
      />
    </Page>
  );
}
