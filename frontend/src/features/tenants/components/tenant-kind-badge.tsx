import { Badge } from '@mantine/core';

import type { Tenant } from '@/features/tenants/api/tenants';

/** "Partner" or "Customer", as a quiet badge. */
export function TenantKindBadge({ kind }: { kind: Tenant['kind'] }) {
  return (
    <Badge variant="outline" color={kind === 'partner' ? 'violet' : 'gray'} radius="sm" miw="max-content">
      {kind === 'partner' ? 'Partner' : 'Customer'}
    </Badge>
  );
}
