import { ActionIcon, Anchor, Breadcrumbs, Button, Code, CopyButton, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { ErrorPanel } from '@/components/error-panel';
import { IconCopy } from '@/components/icons';
import { NoAccess } from '@/components/no-access';
import { Page } from '@/components/page';
import { StatusBadge } from '@/components/status-badge';
import { paths } from '@/config/paths';
import { useTenant, type Tenant } from '@/features/tenants/api/tenants';
import { TenantActionsMenu, type ImpersonationMode } from '@/features/tenants/components/tenant-actions-menu';
import { TenantKindBadge } from '@/features/tenants/components/tenant-kind-badge';
import { useTenantActions } from '@/features/tenants/hooks/use-tenant-actions';
import { isApiError } from '@/lib/api-error';
import { formatDateTime, formatRelative } from '@/lib/format';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </Stack>
  );
}

interface TenantDetailPageProps {
  tenantId: string;
  onImpersonate?: (tenant: Tenant, mode: ImpersonationMode) => void;
}

/** One tenant: its summary and the same actions as in the list. */
export function TenantDetailPage({ tenantId, onImpersonate }: TenantDetailPageProps) {
  const tenant = useTenant(tenantId);
  const actions = useTenantActions();

  if (isApiError(tenant.error, 'not_found')) {
    return <NoAccess title="Tenant not found" description="There is no tenant at this address within your reach. It may have been removed, or the link may be wrong." />;
  }

  const t = tenant.data;
  const crumbs = (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs>
      <Anchor component={Link} to={t?.kind === 'partner' ? paths.partners : paths.tenants} size="sm">
        {t?.kind === 'partner' ? 'Partners' : 'Tenants'}
      </Anchor>
      <Text size="sm" c="dimmed" aria-current="page">
        {t?.name ?? '…'}
      </Text>
      </Breadcrumbs>
    </nav>
  );

  return (
    <Stack gap="xs">
      {crumbs}
      <Page
        title={t?.name ?? 'Tenant'}
        description={t ? (t.kind === 'partner' ? 'Partner' : `Customer of ${t.parentName ?? 'the platform'}`) : undefined}
        actions={
          t && (
            <Group gap="xs">
              <StatusBadge status={t.status} />
              <TenantActionsMenu tenant={t} onAction={actions.onAction} onImpersonate={onImpersonate} withOpen={false} />
            </Group>
          )
        }
      >
        {tenant.isError && !t ? (
          <ErrorPanel error={tenant.error} onRetry={() => void tenant.refetch()} />
        ) : (
          <Paper withBorder radius="md" p="lg" component="section" aria-label="Summary">
            {t ? (
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="lg" component="dl" m={0}>
                <Field label="Kind">
                  <TenantKindBadge kind={t.kind} />
                </Field>
                <Field label="Status">
                  <StatusBadge status={t.status} />
                </Field>
                <Field label="Parent">{t.parentName ?? '—'}</Field>
                <Field label="Created">
                  <span title={formatDateTime(t.createdAt)}>{formatRelative(t.createdAt) || '—'}</span>
                </Field>
                <Field label="Last updated">
                  <span title={formatDateTime(t.updatedAt)}>{formatRelative(t.updatedAt) || '—'}</span>
                </Field>
                <Field label="Tenant ID">
                  <Group gap={4} wrap="nowrap">
                    <Code>{t.id}</Code>
                    <CopyButton value={t.id}>
                      {({ copied, copy }) => (
                        <Tooltip label={copied ? 'Copied' : 'Copy ID'} withArrow>
                          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label={copied ? 'Copied' : 'Copy tenant ID'}>
                            <IconCopy size={14} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </CopyButton>
                  </Group>
                </Field>
              </SimpleGrid>
            ) : (
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="lg" aria-hidden>
                {Array.from({ length: 6 }, (_, i) => (
                  <Stack key={i} gap={6}>
                    <Skeleton height={10} width="40%" />
                    <Skeleton height={14} width="70%" />
                  </Stack>
                ))}
              </SimpleGrid>
            )}
          </Paper>
        )}
        {t?.kind === 'partner' && (
          <Group>
            <Button variant="light" component={Link} to={`${paths.tenants}?${new URLSearchParams({ kind: 'customer', parentId: t.id })}`}>
              View {t.name}’s customers
            </Button>
          </Group>
        )}
      </Page>
      {actions.modals}
    </Stack>
  );
}
