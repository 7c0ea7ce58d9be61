import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { productName } from '@/config/app';
import { paths } from '@/config/paths';

/**
 * The page after signing out. It needs no session, and it forgets everything the previous
 * session loaded, so nothing of it lingers in this tab.
 */
export function SignedOutRoute() {
  const queryClient = useQueryClient();
  useEffect(() => {
    document.title = `Signed out · ${productName}`;
    queryClient.clear();
  }, [queryClient]);

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" maw={420} w="100%">
        <Stack gap="md">
          <Text fw={700} c="dimmed">
            {productName}
          </Text>
          <Title order={1} size="h2">
            You have signed out
          </Title>
          <Text>Your session has ended. To continue, sign in again.</Text>
          {/* A plain link: /auth/login is the server's, so this must be a full page load. */}
          <Button component="a" href={paths.login()}>
            Sign in again
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
