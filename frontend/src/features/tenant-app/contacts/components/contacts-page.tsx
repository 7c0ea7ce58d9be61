import { Button, Group, Stack, Text, Tooltip } from '@mantine/core';

import { ConfirmModal } from '@/components/confirm-modal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconDownload, IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { LastChanged } from '@/components/record-author';
import { RowActionsMenu } from '@/components/row-actions-menu';
import { SearchInput } from '@/components/search-input';
import { useToast } from '@/components/toaster';
import { paths } from '@/config/paths';
import { contacts, type Contact } from '@/features/tenant-app/contacts/api/contacts';
import { ContactFormModal } from '@/features/tenant-app/contacts/components/contact-form-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { useCan } from '@/lib/permissions';

/** Contacts: the tenant's own customers (personal data), with a CSV export. */
export function ContactsPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('contacts:manage');
  const list = useListParams([], { defaultSort: 'name' });
  const page = contacts.useList(tenantId, { q: list.q || undefined, sort: list.sort, page: list.page, pageSize: list.pageSize });
  const form = useDialog<Contact | null>();
  const remove = useDialog<Contact>();
  const removal = contacts.useRemove(tenantId);
  const toast = useToast();

  const columns: DataTableColumn<Contact>[] = [
    { key: 'name', header: 'Name', sortKey: 'name', render: (c) => <Text size="sm" fw={500}>{c.name}</Text> },
    { key: 'email', header: 'Email', sortKey: 'email', render: (c) => <Text size="sm">{c.email || '—'}</Text> },
    { key: 'phone', header: 'Phone', render: (c) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{c.phone || '—'}</Text> },
    {
      key: 'notes',
      header: 'Notes',
      render: (c) =>
        c.notes ? (
          <Tooltip label={c.notes} multiline maw={360} withArrow openDelay={300}>
            <Text size="sm" c="dimmed" lineClamp={1} maw={260} tabIndex={0}>
              {c.notes}
            </Text>
          </Tooltip>
        ) : null,
    },
    { key: 'updatedAt', header: 'Last change', sortKey: 'updatedAt', render: (c) => <LastChanged record={c} /> },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (c) => (
        <RowActionsMenu
          label={`Actions for ${c.name}`}
          actions={
            manage
              ? [
                  { key: 'edit', label: 'Edit', onClick: () => form.open(c) },
                  {
                    key: 'delete',
                    label: 'Delete',
                    danger: true,
                    onClick: () => {
                      removal.reset();
                      remove.open(c);
                    },
                  },
                ]
              : []
          }
        />
      ),
    },
  ];

  const actions = (
    <Group gap="sm">
      {can('contacts:export') && (
        // A plain link: the browser streams the file straight from the server.
        <Button component="a" href={paths.contactsExport(tenantId)} download variant="default" leftSection={<IconDownload size={16} />}>
          Export CSV
        </Button>
      )}
      {manage && (
        <Button leftSection={<IconPlus size={16} />} onClick={() => form.open(null)}>
          New contact
        </Button>
      )}
    </Group>
  );

  return (
    <Page title="Contacts" description="This tenant's own customers. Their details are personal data: handle them with care." actions={actions}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search contacts" placeholder="Search by name or email…" value={list.q} onChange={list.setQ} />
        </ListToolbar>
        <DataTable
          label="Contacts"
          columns={columns}
          rows={page.data?.items}
          rowKey={(c) => c.id}
          loading={page.isPending}
          fetching={page.isPlaceholderData}
          error={page.error}
          onRetry={() => void page.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="contacts" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Add the first one with “New contact”.' : undefined} />}
        />
        <ListFooter
          noun="contacts"
          page={list.page}
          pageSize={list.pageSize}
          total={page.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <ContactFormModal key={form.key} tenantId={tenantId} contact={form.payload} opened={form.opened} onClose={form.close} />
      {remove.payload && (
        <ConfirmModal
          opened={remove.opened}
          onClose={remove.close}
          title={`Delete ${remove.payload.name}?`}
          confirmLabel="Delete contact"
          danger
          loading={removal.isPending}
          error={removal.error}
          onConfirm={() => {
            const contact = remove.payload!;
            removal.mutate(contact.id, {
              onSuccess: () => {
                toast({ message: `Contact “${contact.name}” deleted.` });
                remove.close();
              },
            });
          }}
        >
          The contact and their details are removed for good. This cannot be undone.
        </ConfirmModal>
      )}
    </Page>
  );
}
