import { useCallback } from 'react';

import type { Tenant } from '@/features/tenants/api/tenants';
import { RenameTenantModal } from '@/features/tenants/components/rename-tenant-modal';
import type { TenantAction } from '@/features/tenants/components/tenant-actions-menu';
import { TenantStatusModal } from '@/features/tenants/components/tenant-status-modal';
import { useDialog } from '@/hooks/use-dialog';

/**
 * The dialogs behind the tenant actions menu: `onAction` opens the right one, `modals` renders
 * them. The list and a tenant's page share it.
 */
export function useTenantActions() {
  const rename = useDialog<Tenant>();
  const status = useDialog<Tenant>();
  const { open: openRename } = rename;
  const { open: openStatus } = status;
  const onAction = useCallback(
    (action: TenantAction, tenant: Tenant) => (action === 'rename' ? openRename(tenant) : openStatus(tenant)),
    [openRename, openStatus],
  );
  const modals = (
    <>
      <RenameTenantModal tenant={rename.payload} opened={rename.opened} onClose={rename.close} />
      <TenantStatusModal key={status.key} tenant={status.payload} opened={status.opened} onClose={status.close} />
    </>
  );
  return { onAction, modals };
}
