import { Button, Select, Stack, Text } from '@mantine/core';

import { ConfirmModal } from '@/components/confirm-modal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { LastChanged } from '@/components/record-author';
import { RowActionsMenu } from '@/components/row-actions-menu';
import { SearchInput } from '@/components/search-input';
import { StatusBadge } from '@/components/status-badge';
import { useToast } from '@/components/toaster';
import { businessUnits, type BusinessUnit } from '@/features/tenant-app/business-units/api/business-units';
import { BusinessUnitFormModal } from '@/features/tenant-app/business-units/components/business-unit-form-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { useCan } from '@/lib/permissions';

const filterNames = ['status'] as const;

/** ACD → Business Units. */
export function BusinessUnitsPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('business_units:manage');
  const list = useListParams(filterNames, { defaultSort: 'name' });
  const page = businessUnits.useList(tenantId, {
    q: list.q || undefined,
    status: list.filters.status,
    sort: list.sort,
    page: list.page,
    pageSize: list.pageSize,
  });
  const form = useDialog<BusinessUnit | null>();
  const remove = useDialog<BusinessUnit>();
  const removal = businessUnits.useRemove(tenantId);
  const toast = useToast();

  const columns: DataTableColumn<BusinessUnit>[] = [
    { key: 'name', header: 'Name', sortKey: 'name', render: (b) => <Text size="sm" fw={500}>{b.name}</Text> },
    { key: 'timeZone', header: 'Time zone', sortKey: 'timeZone', render: (b) => <Text size="sm">{b.timeZone}</Text> },
    { key: 'status', header: 'Status', sortKey: 'status', render: (b) => (b.status ? <StatusBadge status={b.status} /> : null) },
    { key: 'updatedAt', header: 'Last change', sortKey: 'updatedAt', render: (b) => <LastChanged record={b} /> },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (b) => (
        <RowActionsMenu
          label={`Actions for ${b.name}`}
          actions={
            manage
              ? [
                  { key: 'edit', label: 'Edit', onClick: () => form.open(b) },
                  {
                    key: 'delete',
                    label: 'Delete',
                    danger: true,
                    onClick: () => {
                      removal.reset();
                      remove.open(b);
                    },
                  },
                ]
              : []
          }
        />
      ),
    },
  ];

  const newButton = manage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => form.open(null)}>
      New business unit
    </Button>
  ) : null;

  return (
    <Page title="Business Units" description="The parts of the contact centre, each working in its own time zone." actions={newButton}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search business units" value={list.q} onChange={list.setQ} />
          <Select
            aria-label="Status"
            placeholder="Any status"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'inactive', label: 'Inactive' },
            ]}
            value={list.filters.status ?? null}
            onChange={(v) => list.setFilter('status', v)}
            clearable
            w={150}
          />
        </ListToolbar>
        <DataTable
          label="Business units"
          columns={columns}
          rows={page.data?.items}
          rowKey={(b) => b.id}
          loading={page.isPending}
          fetching={page.isPlaceholderData}
          error={page.error}
          onRetry={() => void page.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="business units" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Create the first one with “New business unit”.' : undefined} />}
        />
        <ListFooter
          noun="business units"
          page={list.page}
          pageSize={list.pageSize}
          total={page.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <BusinessUnitFormModal key={form.key} tenantId={tenantId} unit={form.payload} opened={form.opened} onClose={form.close} />
      {remove.payload && (
        <ConfirmModal
          opened={remove.opened}
          onClose={remove.close}
          title={`Delete ${remove.payload.name}?`}
          confirmLabel="Delete business unit"
          danger
          loading={removal.isPending}
          error={removal.error}
          onConfirm={() => {
            const unit = remove.payload!;
            removal.mutate(unit.id, {
              onSuccess: () => {
                toast({ message: `Business unit “${unit.name}” deleted.` });
                remove.close();
              },
            });
          }}
        >
          The business unit is removed for good. This cannot be undone.
        </ConfirmModal>
      )}
    </Page>
  );
}
