import { Badge } from '@mantine/core';

const colors: Record<string, string> = { success: 'teal', denied: 'orange', failure: 'red' };
const labels: Record<string, string> = { success: 'Success', denied: 'Denied', failure: 'Failed' };

/** An audit event's outcome: success, denied (refused by a rule) or failure. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge color={colors[outcome] ?? 'gray'} variant="light" radius="sm" miw="max-content">
      {labels[outcome] ?? outcome}
    </Badge>
  );
}
