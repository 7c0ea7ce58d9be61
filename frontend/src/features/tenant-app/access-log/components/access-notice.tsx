import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useMatch } from 'react-router';

import { paths } from '@/config/paths';
import { useAccessNotice, type AccessNotice } from '@/features/tenant-app/access-log/api/access-log';
import { useCurrentUser } from '@/lib/auth';
import { formatRelative } from '@/lib/format';
import { useCan } from '@/lib/permissions';

const storageKey = (tenantId: string) => `regent.access-notice.dismissed.${tenantId}`;

// What the notice says: dismissing it hides this notice, and a new access shows a new one.
function signature(n: AccessNotice): string {
  return `${n.unseen ?? 0}|${n.latestAt ?? ''}|${n.active ?? 0}`;
}

function readDismissed(tenantId: string): string | null {
  try {
    return window.sessionStorage.getItem(storageKey(tenantId));
  } catch {
    return null;
  }
}

/**
 * Tells a tenant's admins, in their tenant app, about outside access: how many accesses since
 * their last visit to the Access Log and by whom, and whether someone from support is in the
 * tenant right now. Dismissible; a new access brings it back.
 */
export function AccessNoticeBanner({ tenantId }: { tenantId: string }) {
  const me = useCurrentUser();
  const can = useCan();
  // Only the tenant's own admins; never someone impersonating it.
  const enabled = can('access_log:read') && !me.impersonation && me.home.id === tenantId;
  const notice = useAccessNotice(tenantId, enabled);
  const [dismissed, setDismissed] = useState(() => readDismissed(tenantId));
  const onAccessLog = useMatch('/t/:tenantId/access-log/*');

  const n = notice.data;
  if (!enabled || !n) return null;
  const unseen = n.unseen ?? 0;
  const active = n.active ?? 0;
  if ((unseen <= 0 && active <= 0) || dismissed === signature(n)) return null;

  const dismiss = () => {
    const sig = signature(n);
    setDismissed(sig);
    try {
      window.sessionStorage.setItem(storageKey(tenantId), sig);
    } catch {
      // Private mode: dismissed for this page only.
    }
  };

  const headline =
    unseen > 0
      ? `${unseen.toLocaleString()} outside ${unseen === 1 ? 'access' : 'accesses'} since your last visit` +
        (n.latestBy ? ` — latest by ${n.latestBy}` : '')
      : active === 1
        ? 'Someone from support is in your tenant right now'
        : `${active.toLocaleString()} people from outside are in your tenant right now`;

  return (
    <Alert
      color={active > 0 ? 'orange' : 'blue'}
      variant="light"
      title={headline}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={dismiss}
      mb="lg"
    >
      <Stack gap={4}>
        {unseen > 0 && n.latestAt && (
          <Text size="sm">The latest began {formatRelative(n.latestAt)}.</Text>
        )}
        {unseen > 0 && active > 0 && (
          <Text size="sm" fw={500}>
            {active === 1 ? 'Someone from support is in your tenant right now.' : `${active} people from outside are in your tenant right now.`}
          </Text>
        )}
        {!onAccessLog && (
          <Anchor component={Link} to={paths.tenantApp.accessLog(tenantId)} size="sm" fw={500}>
            See who, why and what they did in the Access Log
          </Anchor>
        )}
      </Stack>
    </Alert>
  );
}
