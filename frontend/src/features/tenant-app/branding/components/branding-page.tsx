import { Anchor, Button, Stack, Text } from '@mantine/core';

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
import { useToast } from '@/components/toaster';
import { branding, isHttpsUrl, type BrandingProfile } from '@/features/tenant-app/branding/api/branding';
import { BrandingFormModal } from '@/features/tenant-app/branding/components/branding-form-modal';
import { ColorPair } from '@/features/tenant-app/branding/components/branding-preview';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { useCan } from '@/lib/permissions';

/** Branding: the tenant's branding profiles. */
export function BrandingPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('branding:manage');
  const list = useListParams([], { defaultSort: 'name' });
  const page = branding.useList(tenantId, { q: list.q || undefined, sort: list.sort, page: list.page, pageSize: list.pageSize });
  const form = useDialog<BrandingProfile | null>();
  const remove = useDialog<BrandingProfile>();
  const removal = branding.useRemove(tenantId);
  const toast = useToast();

  const columns: DataTableColumn<BrandingProfile>[] = [
    { key: 'colors', header: 'Colours', render: (b) => <ColorPair primary={b.primaryColor} accent={b.accentColor} />, width: 90 },
    { key: 'name', header: 'Name', sortKey: 'name', render: (b) => <Text size="sm" fw={500}>{b.name}</Text> },
    { key: 'productName', header: 'Product name', sortKey: 'productName', render: (b) => <Text size="sm">{b.productName}</Text> },
    {
      key: 'logo',
      header: 'Logo',
      render: (b) =>
        b.logoUrl && isHttpsUrl(b.logoUrl) ? (
          <Anchor href={b.logoUrl} target="_blank" rel="noopener noreferrer" size="sm">
            View logo
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ),
    },
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
      New branding profile
    </Button>
  ) : null;

  return (
    <Page title="Branding" description="How the product looks to this tenant's people: its name, colours and logo." actions={newButton}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search branding profiles" value={list.q} onChange={list.setQ} />
        </ListToolbar>
        <DataTable
          label="Branding profiles"
          columns={columns}
          rows={page.data?.items}
          rowKey={(b) => b.id}
          loading={page.isPending}
          fetching={page.isPlaceholderData}
          error={page.error}
          onRetry={() => void page.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="branding profiles" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Create one with “New branding profile”.' : undefined} />}
        />
        <ListFooter
          noun="branding profiles"
          page={list.page}
          pageSize={list.pageSize}
          total={page.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <BrandingFormModal key={form.key} tenantId={tenantId} profile={form.payload} opened={form.opened} onClose={form.close} />
      {remove.payload && (
        <ConfirmModal
          opened={remove.opened}
          onClose={remove.close}
          title={`Delete ${remove.payload.name}?`}
          confirmLabel="Delete profile"
          danger
          loading={removal.isPending}
          error={removal.error}
          onConfirm={() => {
            const profile = remove.payload!;
            removal.mutate(profile.id, {
              onSuccess: () => {
                toast({ message: `Branding profile “${profile.name}” deleted.` });
                remove.close();
              },
            });
          }}
        >
          The branding profile is removed for good. This cannot be undone.
        </ConfirmModal>
      )}
    </Page>
  );
}
