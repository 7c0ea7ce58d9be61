import { Badge, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';

import { ConfirmModal } from '@/components/confirm-modal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { RowActionsMenu } from '@/components/row-actions-menu';
import { SearchInput } from '@/components/search-input';
import { StatusBadge } from '@/components/status-badge';
import { useToast } from '@/components/toaster';
import { employees, type Employee } from '@/features/tenant-app/employees/api/employees';
import { EmployeeFormModal } from '@/features/tenant-app/employees/components/employee-form-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useCan } from '@/lib/permissions';

const filterNames = ['status'] as const;

/** Admin → Employees: the tenant's people, with invite, edit, deactivate and reactivate. */
export function EmployeesPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('employees:manage');
  const list = useListParams(filterNames, { defaultSort: 'name' });
  const people = employees.useList(tenantId, {
    q: list.q || undefined,
    status: list.filters.status,
    sort: list.sort,
    page: list.page,
    pageSize: list.pageSize,
  });
  const form = useDialog<Employee | null>();
  const status = useDialog<Employee>();
  const deactivate = employees.useRemove(tenantId);
  const reactivate = employees.useUpdate(tenantId);
  const toast = useToast();

  const target = status.payload;
  const deactivating = target?.status !== 'deactivated';
  const statusMutation = deactivating ? deactivate : reactivate;
  const openStatus = (e: Employee) => {
    deactivate.reset();
    reactivate.reset();
    status.open(e);
  };

  const columns: DataTableColumn<Employee>[] = [
    { key: 'name', header: 'Name', sortKey: 'name', render: (e) => <Text size="sm" fw={500}>{e.name}</Text> },
    { key: 'email', header: 'Email', sortKey: 'email', render: (e) => <Text size="sm">{e.email}</Text> },
    {
      key: 'roles',
      header: 'Roles',
      render: (e) =>
        e.roles.length ? (
          <Group gap={4}>
            {e.roles.map((r) => (
              <Badge key={r.id} variant="light" color="indigo" radius="sm" miw="max-content" tt="none">
                {r.name}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No role
          </Text>
        ),
    },
    { key: 'status', header: 'Status', sortKey: 'status', render: (e) => <StatusBadge status={e.status} /> },
    {
      key: 'lastLoginAt',
      header: 'Last sign-in',
      sortKey: 'lastLoginAt',
      render: (e) =>
        e.lastLoginAt ? (
          <Tooltip label={formatDateTime(e.lastLoginAt)} withArrow>
            <Text size="sm" tabIndex={0}>
              {formatRelative(e.lastLoginAt)}
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
      render: (e) => (
        <RowActionsMenu
          label={`Actions for ${e.name}`}
          actions={
            manage
              ? [
                  { key: 'edit', label: 'Edit', onClick: () => form.open(e) },
                  e.status === 'deactivated'
                    ? { key: 'reactivate', label: 'Reactivate', onClick: () => openStatus(e) }
                    : { key: 'deactivate', label: 'Deactivate', danger: true, onClick: () => openStatus(e) },
                ]
              : []
          }
        />
      ),
    },
  ];

  const inviteButton = manage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => form.open(null)}>
      Invite employee
    </Button>
  ) : null;

  return (
    <Page title="Employees" description="The people of this tenant and the roles they hold." actions={inviteButton}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search employees" placeholder="Search by name or email…" value={list.q} onChange={list.setQ} />
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
        </ListToolbar>
        <DataTable
          label="Employees"
          columns={columns}
          rows={people.data?.items}
          rowKey={(e) => e.id}
          loading={people.isPending}
          fetching={people.isPlaceholderData}
          error={people.error}
          onRetry={() => void people.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="employees" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Invite the first one with “Invite employee”.' : undefined} />}
        />
        <ListFooter
          noun="employees"
          page={list.page}
          pageSize={list.pageSize}
          total={people.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <EmployeeFormModal key={form.key} tenantId={tenantId} employee={form.payload} opened={form.opened} onClose={form.close} />
      {target && (
        <ConfirmModal
          opened={status.opened}
          onClose={status.close}
          title={deactivating ? `Deactivate ${target.name}?` : `Reactivate ${target.name}?`}
          confirmLabel={deactivating ? 'Deactivate employee' : 'Reactivate employee'}
          danger={deactivating}
          loading={statusMutation.isPending}
          error={statusMutation.error}
          onReload={() =>
            void employees.fetchItem(tenantId, target.id).then((latest) => {
              reactivate.reset();
              status.open(latest);
            })
          }
          onConfirm={() => {
            const done = () => {
              toast({ message: `${target.name} is ${deactivating ? 'deactivated' : 'active again'}.` });
              status.close();
            };
            if (deactivating) deactivate.mutate(target.id, { onSuccess: done });
            else reactivate.mutate({ id: target.id, version: target.version, changes: { status: 'active' } }, { onSuccess: done });
          }}
        >
          {deactivating
            ? `${target.name} will no longer be able to sign in. Their records and history are kept, and you can reactivate them later.`
            : `${target.name} will be able to sign in again with their current roles.`}
        </ConfirmModal>
      )}
    </Page>
  );
}
