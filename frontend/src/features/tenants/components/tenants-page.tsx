import { Anchor, Button, Select, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';

import { DataTable, type DataTableColumn } from '@/components/data-table';
import { IconPlus } from '@/components/icons';
import { ListEmpty } from '@/components/list-empty';
import { ListFooter } from '@/components/list-footer';
import { ListToolbar } from '@/components/list-toolbar';
import { Page } from '@/components/page';
import { SearchInput } from '@/components/search-input';
import { StatusBadge } from '@/components/status-badge';
import { paths } from '@/config/paths';
import { usePartnerOptions, useTenants, type Tenant, type TenantListQuery } from '@/features/tenants/api/tenants';
import { CreateTenantModal, useCreatableKinds } from '@/features/tenants/components/create-tenant-modal';
import { TenantActionsMenu, type ImpersonationMode } from '@/features/tenants/components/tenant-actions-menu';
import { TenantKindBadge } from '@/features/tenants/components/tenant-kind-badge';
import { useTenantActions } from '@/features/tenants/hooks/use-tenant-actions';
import { useListParams } from '@/hooks/use-list-params';
import { useCurrentUser } from '@/lib/auth';

const filterNames = ['kind', 'status', 'parentId'] as const;

interface TenantsPageProps {
  /** The Partners page: the same list, of partners only. */
  partnersOnly?: boolean;
  /** Offered in each tenant's actions menu; see TenantActionsMenu. */
  onImpersonate?: (tenant: Tenant, mode: ImpersonationMode) => void;
}

/**
 * The Tenants (or Partners) page: search, filters, sortable columns and paging, all in the URL;
 * "New tenant"; and each tenant's actions menu.
 */
export function TenantsPage({ partnersOnly = false, onImpersonate }: TenantsPageProps) {
  const me = useCurrentUser();
  const list = useListParams(filterNames, { defaultSort: 'name' });
  const platformUser = me.home.kind === 'platform';
  // Partner users see their own customers only: kind and partner filters would say nothing.
  const showKindFilter = platformUser && !partnersOnly;
  const showPartnerFilter = platformUser && !partnersOnly && list.filters.kind !== 'partner';
  const partners = usePartnerOptions(showPartnerFilter);

  const query: TenantListQuery = {
    q: list.q || undefined,
    kind: partnersOnly ? 'partner' : (list.filters.kind as TenantListQuery['kind']),
    status: list.filters.status as TenantListQuery['status'],
    parentId: partnersOnly ? undefined : list.filters.parentId,
    sort: list.sort,
    page: list.page,
    pageSize: list.pageSize,
  };
  const tenants = useTenants(query);
  const actions = useTenantActions();
  const [creating, create] = useDisclosure(false);
  const creatableKinds = useCreatableKinds(partnersOnly);
  const noun = partnersOnly ? 'partners' : 'tenants';

  const columns: DataTableColumn<Tenant>[] = [
    {
      key: 'name',
      header: 'Name',
      sortKey: 'name',
      render: (t) => (
        <Anchor component={Link} to={paths.tenant(t.id)} fw={500}>
          {t.name}
        </Anchor>
      ),
    },
    // Partner users see only their own customers: kind and parent would be the same on every row.
    ...(partnersOnly || !platformUser
      ? []
      : [
          { key: 'kind', header: 'Kind', sortKey: 'kind', render: (t: Tenant) => <TenantKindBadge kind={t.kind} /> },
          {
            key: 'parent',
            header: 'Parent',
            render: (t: Tenant) => (
              <Text size="sm" c={t.parentName ? undefined : 'dimmed'}>
                {t.parentName ?? '—'}
              </Text>
            ),
          },
        ]),
    { key: 'status', header: 'Status', sortKey: 'status', render: (t) => <StatusBadge status={t.status} /> },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 56,
      align: 'right',
      render: (t) => <TenantActionsMenu tenant={t} onAction={actions.onAction} onImpersonate={onImpersonate} />,
    },
  ];

  const newButton =
    creatableKinds.length > 0 ? (
      <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
        {partnersOnly ? 'New partner' : 'New tenant'}
      </Button>
    ) : null;

  return (
    <Page
      title={partnersOnly ? 'Partners' : 'Tenants'}
      description={
        partnersOnly
          ? 'Partner organisations, which resell Regent and manage their own customers.'
          : platformUser
            ? 'Partners and customers within your reach.'
            : `The customers of ${me.home.name}.`
      }
      actions={newButton}
    >
      <Stack gap="md">
        <ListToolbar>
          <SearchInput label={`Search ${noun}`} value={list.q} onChange={list.setQ} />
          {showKindFilter && (
            <Select
              aria-label="Kind"
              placeholder="All kinds"
              data={[
                { value: 'partner', label: 'Partners' },
                { value: 'customer', label: 'Customers' },
              ]}
              value={list.filters.kind ?? null}
              onChange={(v) => list.setFilter('kind', v)}
              clearable
              w={150}
            />
          )}
          <Select
            aria-label="Status"
            placeholder="Any status"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'suspended', label: 'Suspended' },
            ]}
            value={list.filters.status ?? null}
            onChange={(v) => list.setFilter('status', v)}
            clearable
            w={150}
          />
          {showPartnerFilter && (
            <Select
              aria-label="Partner"
              placeholder="Any partner"
              data={(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              value={list.filters.parentId ?? null}
              onChange={(v) => list.setFilter('parentId', v)}
              clearable
              searchable
              nothingFoundMessage="No partner by that name"
              w={240}
            />
          )}
        </ListToolbar>

        <DataTable
          label={partnersOnly ? 'Partners' : 'Tenants'}
          columns={columns}
          rows={tenants.data?.items}
          rowKey={(t) => t.id}
          loading={tenants.isPending}
          fetching={tenants.isPlaceholderData}
          error={tenants.error}
          onRetry={() => void tenants.refetch()}
          sort={list.sort}
          onSortChange={list.setSort}
          empty={
            <ListEmpty
              noun={noun}
              narrowed={list.narrowed}
              onClear={list.clearAll}
              description={newButton ? `Create the first one with “${partnersOnly ? 'New partner' : 'New tenant'}”.` : undefined}
            />
          }
        />

        <ListFooter
          noun={noun}
          page={list.page}
          pageSize={list.pageSize}
          total={tenants.data?.total}
          onPageChange={list.setPage}
          onPageSizeChange={list.setPageSize}
          onClampPage={list.clampPage}
        />
      </Stack>

      <CreateTenantModal opened={creating} onClose={create.close} partnersOnly={partnersOnly} />
      {actions.modals}
    </Page>
  );
}
