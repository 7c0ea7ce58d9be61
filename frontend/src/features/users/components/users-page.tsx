import { Badge, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { RowActionsMenu, type RowAction } from '@/components/row-actions-menu';
import { SearchInput } from '@/components/search-input';
import { StatusBadge } from '@/components/status-badge';
import { usePartnerHomes, useUsers, type User, type UserListQuery } from '@/features/users/api/users';
import { EditUserModal } from '@/features/users/components/edit-user-modal';
import { InviteUserModal } from '@/features/users/components/invite-user-modal';
import { UserStatusModal } from '@/features/users/components/user-status-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { useCurrentUser } from '@/lib/auth';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useCan } from '@/lib/permissions';

const filterNames = ['status', 'homeId'] as const;

/** The Users page: console users, with invite, edit and deactivate. */
export function UsersPage() {
  const me = useCurrentUser();
  const can = useCan();
  const manage = can('users:manage');
  const list = useListParams(filterNames, { defaultSort: 'name' });
  const platformUser = me.home.kind === 'platform';
  const partners = usePartnerHomes(platformUser);

  const query: UserListQuery = {
    q: list.q || undefined,
    status: list.filters.status as UserListQuery['status'],
    homeId: list.filters.homeId,
    sort: list.sort,
    page: list.page,
    pageSize: list.pageSize,
  };
  const users = useUsers(query);
  const [inviting, invite] = useDisclosure(false);
  const edit = useDialog<User>();
  const status = useDialog<User>();

  const columns: DataTableColumn<User>[] = [
    { key: 'name', header: 'Name', sortKey: 'name', render: (u) => <Text size="sm" fw={500}>{u.name}</Text> },
    { key: 'email', header: 'Email', sortKey: 'email', render: (u) => <Text size="sm">{u.email}</Text> },
    { key: 'home', header: 'Home', render: (u) => <Text size="sm">{u.home.name}</Text> },
    {
      key: 'roles',
      header: 'Roles',
      render: (u) => (
        <Group gap={4}>
          {u.roles.map((r) => (
            <Badge key={r.id} variant="light" color="indigo" radius="sm" miw="max-content" tt="none">
              {r.name}
            </Badge>
          ))}
        </Group>
      ),
    },
    { key: 'status', header: 'Status', sortKey: 'status', render: (u) => <StatusBadge status={u.status} /> },
    {
      key: 'lastLoginAt',
      header: 'Last sign-in',
      sortKey: 'lastLoginAt',
      render: (u) =>
        u.lastLoginAt ? (
          <Tooltip label={formatDateTime(u.lastLoginAt)} withArrow>
            <Text size="sm" tabIndex={0}>
              {formatRelative(u.lastLoginAt)}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (u) => {
        const actions: RowAction[] = manage
          ? [
              { key: 'edit', label: 'Edit', onClick: () => edit.open(u) },
              u.status === 'deactivated'
                ? { key: 'reactivate', label: 'Reactivate', onClick: () => status.open(u) }
                : { key: 'deactivate', label: 'Deactivate', danger: true, onClick: () => status.open(u) },
            ]
          : [];
        return <RowActionsMenu label={`Actions for ${u.name}`} actions={actions} />;
      },
    },
  ];

  const inviteButton = manage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={invite.open}>
      Invite user
    </Button>
  ) : null;

  return (
    <Page
      title="Users"
      description={platformUser ? 'People who sign in to the console: the platform’s staff and the partners’ people.' : `The people of ${me.home.name} who sign in to the console.`}
      actions={inviteButton}
    >
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search users" placeholder="Search by name or email…" value={list.q} onChange={list.setQ} />
          <Select
            aria-label="Status"
            placeholder="Any status"
            data={[
              { value: 'invited', label: 'Invited' },
              { value: 'active', label: 'Active' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
            value={list.filters.status ?? null}
            onChange={(v) => list.setFilter('status', v)}
            clearable
            w={160}
          />
          {platformUser && (
            <Select
              aria-label="Home"
              placeholder="Any home"
              data={[{ value: me.home.id, label: `${me.home.name} (platform)` }, ...(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
              value={list.filters.homeId ?? null}
              onChange={(v) => list.setFilter('homeId', v)}
              clearable
              searchable
              w={260}
            />
          )}
        </ListToolbar>

        <DataTable
          label="Users"
          columns={columns}
          rows={users.data?.items}
          rowKey={(u) => u.id}
          loading={users.isPending}
          fetching={users.isPlaceholderData}
          error={users.error}
          onRetry={() => void users.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="users" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Invite the first one with “Invite user”.' : undefined} />}
        />

        <ListFooter
          noun="users"
          page={list.page}
          pageSize={list.pageSize}
          total={users.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <InviteUserModal opened={inviting} onClose={invite.close} />
      <EditUserModal user={edit.payload} opened={edit.opened} onClose={edit.close} />
      <UserStatusModal key={status.key} user={status.payload} opened={status.opened} onClose={status.close} />
    </Page>
  );
}
