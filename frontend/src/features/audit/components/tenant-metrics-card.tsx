import { Anchor, Badge, Divider, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { ErrorPanel } from '@/components/error-panel';
import { paths } from '@/config/paths';
import { useTenantMetrics } from '@/features/audit/api/audit';
import { isApiError } from '@/lib/api-error';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useCan } from '@/lib/permissions';

function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text size="xl" fw={600} component="dd" m={0} title={hint}>
        {value}
      </Text>
    </Stack>
  );
}

/**
 * A tenant's activity, honestly: its own people's sign-ins and changes, and, apart and labelled
 * as such, what outsiders did while impersonating it. Impersonated activity is never counted as
 * the tenant's own.
 */
export function TenantMetricsCard({ tenantId }: { tenantId: string }) {
  const metrics = useTenantMetrics(tenantId);
  const can = useCan();
  // A tenant out of reach: the page says so already.
  if (isApiError(metrics.error, 'not_found') || isApiError(metrics.error, 'forbidden')) return null;
  const m = metrics.data;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={`metrics-${tenantId}`}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id={`metrics-${tenantId}`}>
            Activity
          </Title>
          <Group gap="md">
            {can('audit:read') && (
              <Anchor component={Link} to={`${paths.audit}?${new URLSearchParams({ tenantId })}`} size="sm">
                Audit trail
              </Anchor>
            )}
            {can('impersonation:sessions') && (
              <Anchor component={Link} to={`${paths.sessions}?${new URLSearchParams({ tenantId })}`} size="sm">
                Impersonation sessions
              </Anchor>
            )}
          </Group>
        </Group>
        {metrics.isError && !m ? (
          <ErrorPanel error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : (
          <>
            <Stack gap="xs" component="section" aria-label="The tenant’s own activity">
              <Text size="sm" fw={600}>
                The tenant’s own people
              </Text>
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="lg" component="dl" m={0}>
                <Figure
                  label="Last sign-in"
                  value={m ? (m.lastSignInAt ? formatRelative(m.lastSignInAt) : 'Never') : <Skeleton height={24} width="60%" />}
                  hint={m?.lastSignInAt ? formatDateTime(m.lastSignInAt) : undefined}
                />
                <Figure label="Active users, last 30 days" value={m ? (m.activeUsers30d ?? 0).toLocaleString() : <Skeleton height={24} width="30%" />} />
                <Figure label="Changes this month" value={m ? (m.changesThisMonth ?? 0).toLocaleString() : <Skeleton height={24} width="30%" />} />
              </SimpleGrid>
            </Stack>
            <Divider />
            <Stack gap="xs" component="section" aria-label="Impersonated activity">
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  Impersonated activity
                </Text>
                <Badge color="orange" variant="light" radius="sm" size="sm">
                  Shown apart
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                What support staff and implementers did while impersonating this tenant. It is never counted as the
                tenant’s own activity above.
              </Text>
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="lg" component="dl" m={0}>
                <Figure
                  label="Impersonation sessions this month"
                  value={m ? (m.impersonationSessionsThisMonth ?? 0).toLocaleString() : <Skeleton height={24} width="30%" />}
                />
                <Figure
                  label="Changes while impersonating this month"
                  value={m ? (m.impersonatedChangesThisMonth ?? 0).toLocaleString() : <Skeleton height={24} width="30%" />}
                />
              </SimpleGrid>
            </Stack>
          </>
        )}
      </Stack>
    </Paper>
  );
}
