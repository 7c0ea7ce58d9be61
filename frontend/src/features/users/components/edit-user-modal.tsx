import { Modal, MultiSelect, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { useConsoleRoles, useUpdateUser, userQueryOptions, type User } from '@/features/users/api/users';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', roles: 'Roles' };

const valuesOf = (u: User) => ({ name: u.name, roles: u.roles.map((r) => r.id) });

function EditUserForm({ user, onClose }: { user: User; onClose: () => void }) {
  const [base, setBase] = useState(user);
  const update = useUpdateUser();
  const toast = useToast();
  const roles = useConsoleRoles();
  const queryClient = useQueryClient();
  const form = useForm(valuesOf(user), (v) => ({
    name: required(v.name, 'Name'),
    roles: v.roles.length === 0 ? 'Choose at least one role' : undefined,
  }));
  const reload = useReload(
    () => queryClient.fetchQuery({ ...userQueryOptions(user.id), staleTime: 0 }),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );
  // The user's current roles stay listed even if the caller could not give them.
  const roleOptions = [
    ...(roles.data ?? []).filter((r) => r.homeKind === base.home.kind).map((r) => ({ value: r.id, label: r.name })),
  ];
  for (const r of base.roles) if (!roleOptions.some((o) => o.value === r.id)) roleOptions.push({ value: r.id, label: r.name });

  return (
    <ModalForm
      onSubmit={form.onSubmit((v) => {
        // Roles go along only when they changed: sending the same set again counts as giving
        // them, which the server refuses on one's own account (renaming oneself must work).
        const rolesChanged = v.roles.length !== base.roles.length || v.roles.some((id) => !base.roles.some((r) => r.id === id));
        update.mutate(
          { id: base.id, version: base.version, name: v.name.trim(), ...(rolesChanged ? { roles: v.roles } : {}) },
          {
            onSuccess: (u) => {
              toast({ message: `${u.name} is updated.` });
              onClose();
            },
            onError: (err) => form.setErrors(fieldErrorsOf(err, fields)),
          },
        );
      })}
      onCancel={onClose}
      submitLabel="Save changes"
      submitting={update.isPending}
      error={reload.error ?? update.error}
      fields={fields}
      errors={form.errors}
      onReload={() => void reload.reload()}
      reloading={reload.reloading}
    >
      <TextInput label="Email" value={base.email} readOnly variant="filled" description={`Home: ${base.home.name}`} />
      <TextInput label="Name" required data-autofocus {...form.text('name')} />
      <MultiSelect label="Roles" required data={roleOptions} value={form.values.roles} onChange={(v) => form.setField('roles', v)} error={form.errors.roles} searchable />
    </ModalForm>
  );
}

/** Edits a console user's name and roles. */
export function EditUserModal({ user, opened, onClose }: { user: User | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={user ? `Edit ${user.name}` : 'Edit user'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {user && <EditUserForm key={user.id} user={user} onClose={onClose} />}
    </Modal>
  );
}
