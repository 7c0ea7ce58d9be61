import { Modal, MultiSelect, TextInput } from '@mantine/core';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { employees, useAssignableRoles, type Employee } from '@/features/tenant-app/employees/api/employees';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', email: 'Email', roles: 'Roles' };

const valuesOf = (e: Employee | null) => ({ name: e?.name ?? '', email: e?.email ?? '', roles: e?.roles.map((r) => r.id) ?? [] });

function EmployeeForm({ tenantId, employee, onClose }: { tenantId: string; employee: Employee | null; onClose: () => void }) {
  const [base, setBase] = useState(employee);
  const create = employees.useCreate(tenantId);
  const update = employees.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  const roles = useAssignableRoles(tenantId);
  const form = useForm(valuesOf(employee), (v) => ({
    name: required(v.name, 'Name'),
    email: required(v.email, 'Email') ?? (/^\S+@\S+\.\S+$/.test(v.email.trim()) ? undefined : 'Email must be an address such as name@example.com'),
  }));
  const reload = useReload(
    () => employees.fetchItem(tenantId, employee!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );
  // The email can change only until the person's first sign-in binds their account.
  const emailLocked = !!base && base.status !== 'invited';
  const roleOptions = [...(roles.data ?? [])];
  for (const r of base?.roles ?? []) if (!roleOptions.some((o) => o.value === r.id)) roleOptions.push({ value: r.id, label: r.name });

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const name = v.name.trim();
    const email = v.email.trim();
    if (base) {
      // Roles go along only when they changed: sending the same set again would count as
      // giving them, which is refused for one's own roles and, while impersonating, for a
      // role beyond the impersonation's (renaming a Tenant Admin must still work).
      const rolesChanged = v.roles.length !== base.roles.length || v.roles.some((id) => !base.roles.some((r) => r.id === id));
      update.mutate(
        {
          id: base.id,
          version: base.version,
          changes: { name, ...(rolesChanged ? { roles: v.roles } : {}), ...(emailLocked ? {} : { email }) },
        },
        {
          onSuccess: (e) => {
            toast({ message: `${e.name} is updated.` });
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { name, email, roles: v.roles },
        {
          onSuccess: (e) => {
            toast({ message: `${e.name} is invited. They can sign in with ${e.email}.` });
            onClose();
          },
          onError,
        },
      );
    }
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Send invitation'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
    >
      <TextInput label="Name" required data-autofocus autoComplete="off" {...form.text('name')} />
      <TextInput
        label="Email"
        type="email"
        required
        autoComplete="off"
        readOnly={emailLocked}
        variant={emailLocked ? 'filled' : undefined}
        description={emailLocked ? 'The email cannot change once the person has signed in.' : 'They sign in with this address.'}
        {...form.text('email')}
      />
      <MultiSelect
        label="Roles"
        placeholder={form.values.roles.length ? undefined : 'Choose roles'}
        data={roleOptions}
        value={form.values.roles}
        onChange={(v) => form.setField('roles', v)}
        error={form.errors.roles}
        nothingFoundMessage={roles.isPending ? 'Loading roles…' : 'No role by that name'}
        searchable
      />
    </ModalForm>
  );
}

interface EmployeeFormModalProps {
  tenantId: string;
  /** The employee to edit; null to invite a new one. */
  employee: Employee | null;
  opened: boolean;
  onClose: () => void;
}

/** "Invite employee" and "Edit employee". */
export function EmployeeFormModal({ tenantId, employee, opened, onClose }: EmployeeFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={employee ? `Edit ${employee.name}` : 'Invite employee'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <EmployeeForm key={employee?.id ?? 'new'} tenantId={tenantId} employee={employee} onClose={onClose} />
    </Modal>
  );
}
