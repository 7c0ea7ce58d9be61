import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ConfirmModal } from '@/components/confirm-modal';
import { useToast } from '@/components/toaster';
import { tenantQueryOptions, useUpdateTenant, type Tenant } from '@/features/tenants/api/tenants';
import { useReload } from '@/hooks/use-reload';

interface TenantStatusModalProps {
  tenant: Tenant | null;
  opened: boolean;
  onClose: () => void;
}

/**
 * Asks before suspending or reactivating a tenant, then PATCHes its status with the version
 * shown. A tenant changed meanwhile is reloaded on request, and the question asked again.
 */
export function TenantStatusModal({ tenant: shown, opened, onClose }: TenantStatusModalProps) {
  const [latest, setLatest] = useState<Tenant | null>(null);
  const tenant = latest && latest.id === shown?.id ? latest : shown;
  const update = useUpdateTenant();
  const toast = useToast();
  const queryClient = useQueryClient();
  const reload = useReload(
    () => queryClient.fetchQuery({ ...tenantQueryOptions(tenant!.id), staleTime: 0 }),
    (t) => {
      setLatest(t);
      update.reset();
    },
  );
  if (!tenant) return null;
  const suspending = tenant.status === 'active';

  const close = () => {
    update.reset();
    setLatest(null);
    onClose();
  };

  return (
    <ConfirmModal
      opened={opened}
      onClose={close}
      title={suspending ? `Suspend ${tenant.name}?` : `Reactivate ${tenant.name}?`}
      confirmLabel={suspending ? 'Suspend tenant' : 'Reactivate tenant'}
      danger={suspending}
      loading={update.isPending}
      error={reload.error ?? update.error}
      onReload={() => void reload.reload()}
      onConfirm={() =>
        update.mutate(
          { id: tenant.id, version: tenant.version, status: suspending ? 'suspended' : 'active' },
          {
            onSuccess: (t) => {
              toast({ message: `${t.name} is ${t.status === 'suspended' ? 'suspended' : 'active again'}.` });
              close();
            },
          },
        )
      }
    >
      {suspending
        ? `${tenant.name} will be marked as suspended: its own people are signed out and cannot sign in, and nobody can impersonate it, until it is reactivated; a session impersonating it now ends at its next step. Its data is kept; you can reactivate it at any time.`
        : `${tenant.name} will be active again: its people can sign in, and it can be impersonated under the usual rules.`}
    </ConfirmModal>
  );
}
