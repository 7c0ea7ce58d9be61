import { Button, Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { productName } from '@/config/app';
import { paths } from '@/config/paths';
import { IconSpy } from '@/components/icons';
import { documentNavigation } from '@/lib/document-navigation';
import { meQueryKey } from '@/lib/query-client';

/** Why a session ended (the server's `endReason`), finishing "It ended because …". */
export const endReasonText: Record<string, string> = {
  expired: 'it reached its time limit',
  idle_timeout: 'it was idle too long',
  revoked: 'a TM Admin ended it',
  footprint_changed: 'it was used from another browser or network',
  grant_changed: 'your permissions changed',
  policy_changed: 'impersonation was switched off by policy',
  actor_deactivated: 'your account was deactivated',
  actor_home_suspended: 'your organisation was suspended',
  tenant_suspended: 'the tenant was suspended',
  logout: 'you signed out',
  stopped: 'it was stopped',
};

/** Where "Continue as yourself" goes: the sign-in, then the console's Tenants list. */
export const continueAsYourselfUrl = paths.login(paths.tenants);

/**
 * The whole page when the server has ended the impersonation (every request answers 401
 * `impersonation_ended`): what happened, why, and the way back. The cookie that carried the
 * session is dead, so going on means signing in again, which with the identity provider's own
 * session is a quick round trip.
 */
export function ImpersonationEndedPage({ endReason }: { endReason?: string }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    document.title = `Impersonation ended · ${productName}`;
    // What was loaded inside the tenant is not kept around once the session is over.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
  }, [queryClient]);

  const why = endReason ? endReasonText[endReason] : undefined;
  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" maw={480} w="100%">
        <Stack gap="md" align="flex-start">
          <ThemeIcon size={44} radius="xl" color="orange.8" aria-hidden>
            <IconSpy size={26} />
          </ThemeIcon>
          <Title order={1} size="h2">
            Your impersonation session has ended
          </Title>
          <Text>{why ? `It ended because ${why}.` : 'The server ended it.'}</Text>
          <Text c="dimmed" size="sm">
            For your security, the browser session that carried it has ended too. Sign in again to continue in the console as yourself.
          </Text>
          <Button onClick={() => documentNavigation.assign(continueAsYourselfUrl)} data-autofocus>
            Continue as yourself
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
