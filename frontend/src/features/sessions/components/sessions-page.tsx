import { Anchor, Button, SegmentedControl, Select, Stack, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';

import { ConfirmModal } from '@/components/confirm-modal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { SearchInput } from '@/components/search-input';
import { ModeBadge, SessionStatusBadge } from '@/components/session-timeline';
import { useToast } from '@/components/toaster';
import { paths } from '@/config/paths';
import { useRevokeAllSessions, useRevokeSession, useSessionTenantOptions, useSessions } from '@/features/sessions/api/sessions';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { endReasonLabel, isActive, modeLabel, type ImpersonationSession } from '@/lib/accountability';
import { formatDateTime, formatRelative, plural } from '@/lib/format';
import { useCan } from '@/lib/permissions';

const filterNames = ['status', 'tenantId'] as const;

function Moment({ iso, prefix = '' }: { iso: string | null | undefined; prefix?: string }) {
  if (!iso) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" title={formatDateTime(iso)} style={{ whiteSpace: 'nowrap' }}>
      {prefix}
      {formatRelative(iso)}
    </Text>
  );
}

/**
 * Impersonation sessions, live and ended: all in reach for holders of impersonation:sessions,
 * otherwise the caller's own. TM Admins revoke one session, or every live one.
 */
export function SessionsPage() {
  const can = useCan();
  const seesAll = can('impersonation:sessions');
  const mayRevoke = can('impersonation:revoke');
  const list = useListParams(filterNames);
  const status = list.filters.status === 'active' || list.filters.status === 'ended' ? list.filters.status : 'all';
  const sessions = useSessions({
    active: status === 'all' ? undefined : status === 'active',
    tenantId: list.filters.tenantId,
    q: list.q || undefined,
    page: list.page,
    pageSize: list.pageSize,
  });
  const tenants = useSessionTenantOptions(seesAll);
  const tenantName = tenants.data?.find((t) => t.id === list.filters.tenantId)?.name;
  const revoke = useRevokeSession();
  const revokeDialog = useDialog<ImpersonationSession>();
  const revokeAll = useRevokeAllSessions();
  const revokeAllDialog = useDialog<string | undefined>();
  const toast = useToast();

  const columns: DataTableColumn<ImpersonationSession>[] = [
    {
      key: 'actor',
      header: 'Who',
      render: (s) => (
        <Stack gap={0}>
          <Anchor component={Link} to={paths.session(s.id)} size="sm" fw={500}>
            {s.actor.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {s.actor.email}
          </Text>
        </Stack>
      ),
    },
    { key: 'tenant', header: 'Tenant', render: (s) => <Text size="sm">{s.tenant.name}</Text> },
    { key: 'mode', header: 'Mode', render: (s) => <ModeBadge mode={s.mode} /> },
    {
      key: 'reason',
      header: 'Reason',
      render: (s) => (
        <Tooltip label={s.reason} multiline maw={360} withArrow openDelay={300} disabled={!s.reason}>
          <Text size="sm" lineClamp={2} maw={280}>
            {s.reason || '—'}
          </Text>
        </Tooltip>
      ),
    },
    { key: 'started', header: 'Started', render: (s) => <Moment iso={s.startedAt} /> },
    {
      key: 'end',
      header: 'Ends / ended',
      render: (s) =>
        isActive(s) ? (
          <Moment iso={s.expiresAt} prefix="Ends " />
        ) : (
          <Stack gap={0}>
            <Moment iso={s.endedAt} />
            <Text size="xs" c="dimmed">
              {endReasonLabel(s.endReason)}
            </Text>
          </Stack>
        ),
    },
    { key: 'status', header: 'Status', render: (s) => <SessionStatusBadge session={s} /> },
    ...(mayRevoke
      ? [
          {
            key: 'actions',
            header: 'Actions',
            hideHeader: true,
            align: 'right' as const,
            render: (s: ImpersonationSession) =>
              isActive(s) ? (
                <Button
                  size="compact-sm"
                  variant="light"
                  color="red"
                  aria-label={`Revoke ${s.actor.name}’s session on ${s.tenant.name}`}
                  onClick={() => {
                    revoke.reset();
                    revokeDialog.open(s);
                  }}
                >
                  Revoke
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const endAllButton = mayRevoke ? (
    <Button
      color="red"
      variant="light"
      onClick={() => {
        revokeAll.reset();
        revokeAllDialog.open(list.filters.tenantId);
      }}
    >
      {list.filters.tenantId ? 'End all active sessions on this tenant' : 'End all active sessions'}
    </Button>
  ) : null;

  const target = revokeDialog.payload;
  return (
    <Page
      title="Sessions"
      description={seesAll ? 'Impersonation sessions within your reach, live and ended.' : 'Your own impersonation sessions, live and ended.'}
      actions={endAllButton}
    >
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search sessions" placeholder="Person, tenant or reason…" value={list.q} onChange={list.setQ} />
          <SegmentedControl
            aria-label="Status"
            value={status}
            onChange={(v) => list.setFilter('status', v === 'all' ? undefined : v)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'active', label: 'Active' },
              { value: 'ended', label: 'Ended' },
            ]}
          />
          {seesAll && (
            <Select
              aria-label="Tenant"
              placeholder="All tenants"
              data={(tenants.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
              value={list.filters.tenantId ?? null}
              onChange={(v) => list.setFilter('tenantId', v)}
              clearable
              searchable
              nothingFoundMessage="No tenant by that name"
              w={{ base: '100%', sm: 240 }}
            />
          )}
        </ListToolbar>

        <DataTable
          label="Impersonation sessions"
          columns={columns}
          rows={sessions.data?.items}
          rowKey={(s) => s.id}
          loading={sessions.isPending}
          fetching={sessions.isPlaceholderData}
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          empty={
            <ListEmpty
              noun={status === 'active' ? 'active sessions' : status === 'ended' ? 'ended sessions' : 'sessions'}
              narrowed={list.q !== '' || !!list.filters.tenantId}
              onClear={list.clearAll}
              description={status === 'active' ? 'Nobody is impersonating a tenant right now.' : 'Sessions appear here once someone impersonates a tenant.'}
            />
          }
        />
        <ListFooter
          noun="sessions"
          page={list.page}
          pageSize={list.pageSize}
          total={sessions.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      {target && (
        <ConfirmModal
          opened={revokeDialog.opened}
          onClose={revokeDialog.close}
          title="Revoke this session?"
          confirmLabel="Revoke session"
          danger
          loading={revoke.isPending}
          error={revoke.error}
          onConfirm={() =>
            revoke.mutate(target.id, {
              onSuccess: () => {
                toast({ message: `${target.actor.name}’s session on ${target.tenant.name} ended.` });
                revokeDialog.close();
              },
            })
          }
        >
          {target.actor.name} is impersonating {target.tenant.name} (Impersonate &amp; {modeLabel(target.mode)}). Revoking ends the
          session at once: their next request is refused, and they are back in the console as themselves.
        </ConfirmModal>
      )}
      <ConfirmModal
        opened={revokeAllDialog.opened}
        onClose={revokeAllDialog.close}
        title={revokeAllDialog.payload ? `End every active session on ${tenantName ?? 'this tenant'}?` : 'End every active session?'}
        confirmLabel="End all sessions"
        danger
        loading={revokeAll.isPending}
        error={revokeAll.error}
        onConfirm={() =>
          revokeAll.mutate(revokeAllDialog.payload ?? undefined, {
            onSuccess: (res) => {
              const n = res?.revoked ?? 0;
              toast({ message: n === 0 ? 'No session was active.' : `${plural(n, 'session')} ended.` });
              revokeAllDialog.close();
            },
          })
        }
      >
        Everyone impersonating {revokeAllDialog.payload ? (tenantName ?? 'this tenant') : 'a tenant'} is sent back to the console at
        once, and their sessions cannot be used again. Use this when something is wrong.
      </ConfirmModal>
    </Page>
  );
}
