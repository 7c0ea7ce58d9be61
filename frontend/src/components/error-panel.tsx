import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';

import { friendlyError } from '@/components/error-message';

interface ErrorPanelProps {
  error: unknown;
  /** Offered as "Try again" when given. */
  onRetry?: () => void;
}

/** Explains an error in plain words, with a way forward. Safe to show any thrown value. */
export function ErrorPanel({ error, onRetry }: ErrorPanelProps) {
  const { title, message, reference } = friendlyError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert" maw={640}>
      <Stack gap="sm">
        {message && <Text size="sm">{message}</Text>}
        {reference && (
          <Text size="xs" c="dimmed">
            Reference for support: <Code>{reference}</Code>
          </Text>
        )}
        <Group gap="sm">
          {onRetry && (
            <Button size="xs" variant="filled" color="red" onClick={onRetry}>
              Try again
            </Button>
          )}
          <Button size="xs" variant="default" onClick={() => window.location.reload()}>
            Reload the page
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
