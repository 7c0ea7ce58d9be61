import { Alert, Checkbox, Fieldset, Group, Modal, SimpleGrid, Skeleton, Stack, Text, TextInput, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';

import { IconCheck, IconLock, IconMinus } from '@/components/icons';
import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { groupPermissions, permissionLabel, roles, usePermissionCatalogue, type Role } from '@/features/tenant-app/roles/api/roles';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', permissions: 'Permissions' };

/** One permission of a role that can only be looked at: readable, not a greyed-out checkbox. */
function Granted({ label, granted }: { label: string; granted: boolean }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={18} radius="xl" variant="light" color={granted ? 'teal' : 'gray'} aria-hidden>
        {granted ? <IconCheck size={12} /> : <IconMinus size={12} />}
      </ThemeIcon>
      <Text size="sm" c={granted ? undefined : 'dimmed'}>
        {label}
        <VisuallyHidden>{granted ? ' (included)' : ' (not included)'}</VisuallyHidden>
      </Text>
    </Group>
  );
}

const valuesOf = (r: Role | null) => ({ name: r?.name ?? '', permissions: r?.permissions ?? [] });

interface RoleFormProps {
  tenantId: string;
  role: Role | null;
  /** Built-in roles, and everyone without roles:manage, only look. */
  readOnly: boolean;
  onClose: () => void;
}

function RoleForm({ tenantId, role, readOnly, onClose }: RoleFormProps) {
  const [base, setBase] = useState(role);
  const create = roles.useCreate(tenantId);
  const update = roles.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  const catalogue = usePermissionCatalogue();
  const form = useForm(valuesOf(role), (v) => ({
    name: required(v.name, 'Name'),
    permissions: v.permissions.length === 0 ? 'Choose at least one permission' : undefined,
  }));
  const reload = useReload(
    () => roles.fetchItem(tenantId, role!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );
  // A built-in role's permissions may include ones outside the catalogue shown: list them too.
  const all = [...(catalogue.data ?? [])];
  for (const p of base?.permissions ?? []) if (!all.includes(p)) all.push(p);

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const body = { name: v.name.trim(), permissions: v.permissions };
    const onSuccess = (r: Role) => {
      toast({ message: base ? `Role “${r.name}” is saved.` : `Role “${r.name}” created.` });
      onClose();
    };
    if (base) update.mutate({ id: base.id, version: base.version, changes: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Create role'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
      readOnly={readOnly}
    >
      {base?.builtin && (
        <Alert variant="light" color="gray" icon={<IconLock size={16} />}>
          Built-in roles come with Regent and cannot be changed. To give a different set of permissions, create a custom role.
        </Alert>
      )}
      <TextInput label="Name" required={!readOnly} readOnly={readOnly} variant={readOnly ? 'filled' : undefined} data-autofocus={!readOnly || undefined} {...form.text('name')} />
      <Checkbox.Group
        label="Permissions"
        description={readOnly ? undefined : 'What people with this role may do in this tenant.'}
        required={!readOnly}
        value={form.values.permissions}
        onChange={(v) => form.setField('permissions', v)}
        error={form.errors.permissions}
      >
        {catalogue.isPending ? (
          <Stack gap="xs" mt="xs" aria-hidden>
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} height={16} width="60%" />
            ))}
          </Stack>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
            {groupPermissions(all).map((g) => (
              <Fieldset key={g.area} legend={g.area} variant="filled" p="sm">
                <Stack gap={6}>
                  {g.permissions.map((p) =>
                    readOnly ? (
                      <Granted key={p} label={permissionLabel(p)} granted={form.values.permissions.includes(p)} />
                    ) : (
                      <Checkbox key={p} value={p} label={permissionLabel(p)} />
                    ),
                  )}
                </Stack>
              </Fieldset>
            ))}
          </SimpleGrid>
        )}
      </Checkbox.Group>
      {readOnly && !base?.builtin && (
        <Text size="xs" c="dimmed">
          Your role lets you see roles but not change them.
        </Text>
      )}
    </ModalForm>
  );
}

interface RoleFormModalProps {
  tenantId: string;
  role: Role | null;
  readOnly: boolean;
  opened: boolean;
  onClose: () => void;
}

/** "New role", "Edit role" and, for built-in roles, a read-only view. */
export function RoleFormModal({ tenantId, role, readOnly, opened, onClose }: RoleFormModalProps) {
  const title = !role ? 'New role' : readOnly ? role.name : `Edit ${role.name}`;
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
      <RoleForm key={role?.id ?? 'new'} tenantId={tenantId} role={role} readOnly={readOnly} onClose={onClose} />
    </Modal>
  );
}
