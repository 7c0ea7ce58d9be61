import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core';

import { ConfirmModal } from '@/components/confirm-modal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconLock, IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { RowActionsMenu, type RowAction } from '@/components/row-actions-menu';
import { SearchInput } from '@/components/search-input';
import { useToast } from '@/components/toaster';
import { permissionLabel, roles, type Role } from '@/features/tenant-app/roles/api/roles';
import { RoleFormModal } from '@/features/tenant-app/roles/components/role-form-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { plural } from '@/lib/format';
import { useCan } from '@/lib/permissions';

/** Admin → Roles: built-in roles (read-only) and the tenant's custom roles. */
export function RolesPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('roles:manage');
  // The server lists built-in roles first, then custom ones; it offers no sort for roles.
  const list = useListParams();
  const page = roles.useList(tenantId, { q: list.q || undefined, page: list.page, pageSize: list.pageSize });
  const form = useDialog<Role | null>();
  const remove = useDialog<Role>();
  const removal = roles.useRemove(tenantId);
  const toast = useToast();
  const viewing = form.payload;
  const readOnly = !!viewing && (viewing.builtin || !manage);

  const columns: DataTableColumn<Role>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {r.name}
          </Text>
          {r.builtin && (
            <Tooltip label="Built-in: cannot be changed" withArrow>
              <span style={{ display: 'inline-flex', color: 'var(--mantine-color-dimmed)' }} aria-label="Built-in, read-only" role="img">
                <IconLock size={14} />
              </span>
            </Tooltip>
          )}
        </Group>
      ),
    },
    {
      key: 'type',
      header: 'Type',
      render: (r) => (
        <Badge variant={r.builtin ? 'outline' : 'light'} color={r.builtin ? 'gray' : 'indigo'} radius="sm" miw="max-content">
          {r.builtin ? 'Built-in' : 'Custom'}
        </Badge>
      ),
    },
    {
      key: 'permissions',
      header: 'Permissions',
      render: (r) => (
        <Tooltip label={r.permissions.map(permissionLabel).join(' · ') || 'None'} multiline maw={360} withArrow>
          <Text size="sm" tabIndex={0}>
            {plural(r.permissions.length, 'permission')}
          </Text>
        </Tooltip>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (r) => {
        const actions: RowAction[] =
          r.builtin || !manage
            ? [{ key: 'view', label: 'View permissions', onClick: () => form.open(r) }]
            : [
                { key: 'edit', label: 'Edit', onClick: () => form.open(r) },
                {
                  key: 'delete',
                  label: 'Delete',
                  danger: true,
                  onClick: () => {
                    removal.reset();
                    remove.open(r);
                  },
                },
              ];
        return <RowActionsMenu label={`Actions for ${r.name}`} actions={actions} />;
      },
    },
  ];

  const newButton = manage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => form.open(null)}>
      New role
    </Button>
  ) : null;

  return (
    <Page title="Roles" description="What each role allows in this tenant. Built-in roles are fixed; custom roles are yours to shape." actions={newButton}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search roles" value={list.q} onChange={list.setQ} />
        </ListToolbar>
        <DataTable
          label="Roles"
          columns={columns}
          rows={page.data?.items}
          rowKey={(r) => r.id}
          loading={page.isPending}
          fetching={page.isPlaceholderData}
          error={page.error}
          onRetry={() => void page.refetch()}
          empty={<ListEmpty noun="roles" narrowed={list.narrowed} onClear={list.clearAll} />}
        />
        <ListFooter
          noun="roles"
          page={list.page}
          pageSize={list.pageSize}
          total={page.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <RoleFormModal key={form.key} tenantId={tenantId} role={form.payload} readOnly={readOnly} opened={form.opened} onClose={form.close} />
      {remove.payload && (
        <ConfirmModal
          opened={remove.opened}
          onClose={remove.close}
          title={`Delete the role ${remove.payload.name}?`}
          confirmLabel="Delete role"
          danger
          loading={removal.isPending}
          error={removal.error}
          onConfirm={() => {
            const role = remove.payload!;
            removal.mutate(role.id, {
              onSuccess: () => {
                toast({ message: `Role “${role.name}” deleted.` });
                remove.close();
              },
            });
          }}
        >
          The role is removed for good. A role still given to someone cannot be deleted: take it away from them first.
        </ConfirmModal>
      )}
    </Page>
  );
}
