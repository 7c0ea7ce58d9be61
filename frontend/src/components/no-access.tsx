import { Paper, EmptyState } from '@mantine/core';

import { IconLock } from '@/components/icons';
import { Page } from '@/components/page';

interface NoAccessProps {
  title?: string;
  description?: string;
}

/** A page the signed-in user's role does not open. Says so, and what to do about it. */
export function NoAccess({
  title = 'No access',
  description = 'Your role does not include this page. If you need it, ask an administrator to change your role.',
}: NoAccessProps) {
  return (
    <Page title={title}>
      <Paper withBorder p="xl" radius="md">
        <EmptyState icon={<IconLock size={28} />} withIndicatorBackground title="You cannot open this page" description={description} />
      </Paper>
    </Page>
  );
}
