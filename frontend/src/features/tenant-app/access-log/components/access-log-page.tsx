import { Anchor, Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';

import { DataTable, type DataTableColumn } from '@/components/data-table';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { SearchInput } from '@/components/search-input';
import { ModeBadge } from '@/components/session-timeline';
import { paths } from '@/config/paths';
import { useAccessLog, useMarkAccessLogSeen, type AccessLogEntry } from '@/features/tenant-app/access-log/api/access-log';
import { useListParams } from '@/hooks/use-list-params';
import { endReasonLabel } from '@/lib/accountability';
import { formatDateTime, formatRelative } from '@/lib/format';

function Moment({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" title={formatDateTime(iso)} style={{ whiteSpace: 'nowrap' }}>
      {formatRelative(iso)}
    </Text>
  );
}

/**
 * The tenant's Access Log: who from outside (support staff, implementers) stepped into the
 * tenant, when, why, and what they did. Opening it marks every access so far as seen.
 */
export function AccessLogPage({ tenantId }: { tenantId: string }) {
  const list = useListParams();
  const log = useAccessLog(tenantId, { q: list.q || undefined, page: list.page, pageSize: list.pageSize });
  const seen = useMarkAccessLogSeen(tenantId);

  // Once per visit: the notice of unseen accesses goes away (and the visit is on record).
  const marked = useRef(false);
  const markSeen = seen.mutate;
  useEffect(() => {
    if (marked.current) return;
    marked.current = true;
    markSeen();
  }, [markSeen]);

  const columns: DataTableColumn<AccessLogEntry>[] = [
    {
      key: 'who',
      header: 'Who',
      render: (a) => (
        <Stack gap={0}>
          <Anchor component={Link} to={paths.tenantApp.accessLogEntry(tenantId, a.sessionId)} size="sm" fw={500}>
            {a.actor.name || a.actor.email || 'Someone'}
          </Anchor>
          <Text size="xs" c="dimmed">
            {a.actor.email}
          </Text>
        </Stack>
      ),
    },
    { key: 'mode', header: 'Mode', render: (a) => <ModeBadge mode={a.mode} /> },
    {
      key: 'reason',
      header: 'Reason',
      render: (a) => (
        <Tooltip label={a.reason} multiline maw={360} withArrow openDelay={300} disabled={!a.reason}>
          <Text size="sm" lineClamp={2} maw={300}>
            {a.reason || '—'}
          </Text>
        </Tooltip>
      ),
    },
    { key: 'started', header: 'Started', render: (a) => <Moment iso={a.startedAt} /> },
    {
      key: 'ended',
      header: 'Ended',
      render: (a) =>
        a.endedAt ? (
          <Stack gap={0}>
            <Moment iso={a.endedAt} />
            <Text size="xs" c="dimmed">
              {endReasonLabel(a.endReason)}
            </Text>
          </Stack>
        ) : (
          <Badge color="orange" variant="light" radius="sm">
            In progress
          </Badge>
        ),
    },
  ];

  return (
    <Page
      title="Access Log"
      description="Who from outside your organisation stepped into this tenant, when, why, and what they did. Open an entry for the details."
    >
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search the Access Log" placeholder="Search by person or reason…" value={list.q} onChange={list.setQ} />
        </ListToolbar>
        <DataTable
          label="Access Log"
          columns={columns}
          rows={log.data?.items}
          rowKey={(a) => a.id}
          loading={log.isPending}
          fetching={log.isPlaceholderData}
          error={log.error}
          onRetry={() => void log.refetch()}
          empty={
            <ListEmpty
              noun="accesses"
              narrowed={list.narrowed}
              onClear={list.clearAll}
              description="Nobody from outside has accessed this tenant. If support staff or an implementer ever do, it shows here."
            />
          }
        />
        <ListFooter
          noun="accesses"
          page={list.page}
          pageSize={list.pageSize}
          total={log.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>
    </Page>
  );
}
