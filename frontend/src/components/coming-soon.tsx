import { EmptyState, Paper } from '@mantine/core';

/** The empty state of a console page that a later release fills. */
export function ComingSoon({ description }: { description: string }) {
  return (
    <Paper withBorder p="xl" radius="md">
      <EmptyState title="Coming soon" description={description} />
    </Paper>
  );
}
