import { Stack, Text, Tooltip } from '@mantine/core';

import { formatDateTime, formatRelative } from '@/lib/format';

interface Authored {
  createdAt: string;
  updatedAt: string;
  createdBy: { name: string };
  updatedBy: { name: string };
}

/**
 * Who last changed a tenant-app record and when, for a table cell. The name is the server's:
 * a change made while impersonating reads "Impersonated Admin".
 */
export function LastChanged({ record }: { record: Authored }) {
  const created = record.createdAt === record.updatedAt;
  return (
    <Tooltip
      label={`Created by ${record.createdBy.name}, ${formatDateTime(record.createdAt)}` + (created ? '' : ` · Updated by ${record.updatedBy.name}, ${formatDateTime(record.updatedAt)}`)}
      withArrow
      multiline
      maw={320}
    >
      <Stack gap={0} tabIndex={0} style={{ outlineOffset: 2 }}>
        <Text size="sm">{created ? `Created by ${record.createdBy.name}` : `Updated by ${record.updatedBy.name}`}</Text>
        <Text size="xs" c="dimmed">
          {formatRelative(record.updatedAt)}
        </Text>
      </Stack>
    </Tooltip>
  );
}

/** "Created by … on …; last updated by … on …", for the foot of an edit form. */
export function RecordHistory({ record }: { record: Authored }) {
  return (
    <Text size="xs" c="dimmed">
      Created by {record.createdBy.name} on {formatDateTime(record.createdAt)}
      {record.createdAt !== record.updatedAt && (
        <>
          {' '}
          · Last updated by {record.updatedBy.name} on {formatDateTime(record.updatedAt)}
        </>
      )}
    </Text>
  );
}
