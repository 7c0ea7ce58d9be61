import { Badge } from '@mantine/core';

const colors: Record<string, string> = {
  active: 'teal',
  suspended: 'red',
  invited: 'blue',
  deactivated: 'gray',
  inactive: 'gray',
};

const labels: Record<string, string> = {
  active: 'Active',
  suspended: 'Suspended',
  invited: 'Invited',
  deactivated: 'Deactivated',
  inactive: 'Inactive',
};

/** A record's status as a coloured badge: active, suspended, invited, deactivated, inactive. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" radius="sm" miw="max-content">
      {labels[status] ?? status}
    </Badge>
  );
}

/** The human label of a status. */
export function statusLabel(status: string): string {
  return labels[status] ?? status;
}
