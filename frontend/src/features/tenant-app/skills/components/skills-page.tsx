import { Badge, Button, Stack, Text } from '@mantine/core';

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
import { channelLabels, directionLabels, skills, type Skill } from '@/features/tenant-app/skills/api/skills';
import { SkillFormModal } from '@/features/tenant-app/skills/components/skill-form-modal';
import { useDialog } from '@/hooks/use-dialog';
import { useListParams } from '@/hooks/use-list-params';
import { useCan } from '@/lib/permissions';

const directionColors = { inbound: 'blue', outbound: 'grape', blended: 'cyan' } as const;

/** ACD → Skills. */
export function SkillsPage({ tenantId }: { tenantId: string }) {
  const can = useCan();
  const manage = can('skills:manage');
  const list = useListParams([], { defaultSort: 'name' });
  const page = skills.useList(tenantId, { q: list.q || undefined, sort: list.sort, page: list.page, pageSize: list.pageSize });
  const form = useDialog<Skill | null>();
  const remove = useDialog<Skill>();
  const removal = skills.useRemove(tenantId);
  const toast = useToast();

  const columns: DataTableColumn<Skill>[] = [
    { key: 'name', header: 'Name', sortKey: 'name', render: (s) => <Text size="sm" fw={500}>{s.name}</Text> },
    { key: 'channel', header: 'Channel', sortKey: 'channel', render: (s) => <Text size="sm">{s.channel ? channelLabels[s.channel] : '—'}</Text> },
    {
      key: 'direction',
      header: 'Direction',
      sortKey: 'direction',
      render: (s) =>
        s.direction ? (
          <Badge variant="light" color={directionColors[s.direction]} radius="sm" miw="max-content">
            {directionLabels[s.direction]}
          </Badge>
        ) : null,
    },
    { key: 'updatedAt', header: 'Last change', sortKey: 'updatedAt', render: (s) => <LastChanged record={s} /> },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (s) => (
        <RowActionsMenu
          label={`Actions for ${s.name}`}
          actions={
            manage
              ? [
                  { key: 'edit', label: 'Edit', onClick: () => form.open(s) },
                  {
                    key: 'delete',
                    label: 'Delete',
                    danger: true,
                    onClick: () => {
                      removal.reset();
                      remove.open(s);
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
      New skill
    </Button>
  ) : null;

  return (
    <Page title="Skills" description="What agents handle: each skill has a channel and a direction." actions={newButton}>
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label="Search skills" value={list.q} onChange={list.setQ} />
        </ListToolbar>
        <DataTable
          label="Skills"
          columns={columns}
          rows={page.data?.items}
          rowKey={(s) => s.id}
          loading={page.isPending}
          fetching={page.isPlaceholderData}
          error={page.error}
          onRetry={() => void page.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={<ListEmpty noun="skills" narrowed={list.narrowed} onClear={list.clearAll} description={manage ? 'Create the first one with “New skill”.' : undefined} />}
        />
        <ListFooter
          noun="skills"
          page={list.page}
          pageSize={list.pageSize}
          total={page.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <SkillFormModal key={form.key} tenantId={tenantId} skill={form.payload} opened={form.opened} onClose={form.close} />
      {remove.payload && (
        <ConfirmModal
          opened={remove.opened}
          onClose={remove.close}
          title={`Delete ${remove.payload.name}?`}
          confirmLabel="Delete skill"
          danger
          loading={removal.isPending}
          error={removal.error}
          onConfirm={() => {
            const skill = remove.payload!;
            removal.mutate(skill.id, {
              onSuccess: () => {
                toast({ message: `Skill “${skill.name}” deleted.` });
                remove.close();
              },
            });
          }}
        >
          The skill is removed for good. This cannot be undone.
        </ConfirmModal>
      )}
    </Page>
  );
}
