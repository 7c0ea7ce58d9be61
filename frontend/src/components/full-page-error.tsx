import { Center } from '@mantine/core';

import { ErrorPanel } from '@/components/error-panel';

/** An {@link ErrorPanel} centred on an otherwise empty page, for errors before any layout. */
export function FullPageError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Center component="main" mih="100vh" p="md">
      <ErrorPanel error={error} onRetry={onRetry} />
    </Center>
  );
}
