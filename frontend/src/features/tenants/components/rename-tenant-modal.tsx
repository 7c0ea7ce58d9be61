import { Modal, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { tenantQueryOptions, useUpdateTenant, type Tenant } from '@/features/tenants/api/tenants';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name' };

function RenameForm({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const [base, setBase] = useState(tenant);
  const update = useUpdateTenant();
  const toast = useToast();
  const queryClient = useQueryClient();
  const form = useForm({ name: tenant.name }, (v) => ({ name: required(v.name, 'Name') }));
  const reload = useReload(
    () => queryClient.fetchQuery({ ...tenantQueryOptions(tenant.id), staleTime: 0 }),
    (latest) => {
      setBase(latest);
      form.reset({ name: latest.name });
      update.reset();
    },
  );

  return (
    <ModalForm
      onSubmit={form.onSubmit((v) =>
        update.mutate(
          { id: base.id, version: base.version, name: v.name.trim() },
          {
            onSuccess: (t) => {
              toast({ message: `Renamed to “${t.name}”.` });
              onClose();
            },
            onError: (err) => form.setErrors(fieldErrorsOf(err, fields)),
          },
        ),
      )}
      onCancel={onClose}
      submitLabel="Rename"
      submitting={update.isPending}
      error={reload.error ?? update.error}
      fields={fields}
      errors={form.errors}
      onReload={() => void reload.reload()}
      reloading={reload.reloading}
    >
      <TextInput label="Name" required data-autofocus {...form.text('name')} />
    </ModalForm>
  );
}

/** Renames a tenant (or partner); a conflicting edit offers to reload it. */
export function RenameTenantModal({ tenant, opened, onClose }: { tenant: Tenant | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={tenant ? `Rename ${tenant.name}` : 'Rename'} closeButtonProps={{ 'aria-label': 'Close' }}>
      {tenant && <RenameForm key={tenant.id} tenant={tenant} onClose={onClose} />}
    </Modal>
  );
}
