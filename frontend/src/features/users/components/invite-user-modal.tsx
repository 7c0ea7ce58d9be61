import { Modal, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { useConsoleRoles, useInviteUser, usePartnerHomes } from '@/features/users/api/users';
import { required, useForm } from '@/hooks/use-form';
import { useCurrentUser } from '@/lib/auth';

const fields = { email: 'Email', name: 'Name', homeId: 'Home', roles: 'Roles' };

function InviteUserForm({ onClose }: { onClose: () => void }) {
  const me = useCurrentUser();
  const invite = useInviteUser();
  const toast = useToast();
  // Platform admins place new people on the platform or in a partner; a partner admin invites
  // into their own partner only.
  const choosesHome = me.home.kind === 'platform';
  const partners = usePartnerHomes(choosesHome);
  const roles = useConsoleRoles();
  const form = useForm({ email: '', name: '', homeId: me.home.id, roles: [] as string[] }, (v) => ({
    email: required(v.email, 'Email') ?? (/^\S+@\S+\.\S+$/.test(v.email.trim()) ? undefined : 'Email must be an address such as name@example.com'),
    name: required(v.name, 'Name'),
    roles: v.roles.length === 0 ? 'Choose at least one role' : undefined,
  }));

  const homes = [
    { value: me.home.id, label: `${me.home.name} (platform)`, kind: me.home.kind },
    ...(partners.data ?? []).map((p) => ({ value: p.id, label: p.name, kind: 'partner' as const })),
  ];
  const homeKind = choosesHome ? (homes.find((h) => h.value === form.values.homeId)?.kind ?? me.home.kind) : me.home.kind;
  const roleOptions = (roles.data ?? []).filter((r) => r.homeKind === homeKind).map((r) => ({ value: r.id, label: r.name }));

  return (
    <ModalForm
      onSubmit={form.onSubmit((v) =>
        invite.mutate(
          { email: v.email.trim(), name: v.name.trim(), homeId: v.homeId, roles: v.roles },
          {
            onSuccess: (u) => {
              toast({ message: `${u.name} is invited. They can sign in with ${u.email}.` });
              onClose();
            },
            onError: (err) => form.setErrors(fieldErrorsOf(err, fields)),
          },
        ),
      )}
      onCancel={onClose}
      submitLabel="Send invitation"
      submitting={invite.isPending}
      error={invite.error}
      fields={fields}
      errors={form.errors}
    >
      <TextInput label="Email" type="email" required data-autofocus autoComplete="off" {...form.text('email')} />
      <TextInput label="Name" required autoComplete="off" {...form.text('name')} />
      {choosesHome ? (
        <Select
          label="Home"
          description="Where this person belongs: the platform, or one of its partners."
          data={homes.map(({ value, label }) => ({ value, label }))}
          value={form.values.homeId}
          onChange={(v) => {
            if (!v) return;
            const kind = homes.find((h) => h.value === v)?.kind;
            form.setField('homeId', v);
            // Roles belong to a kind of home: keep only those that still fit.
            const fitting = new Set((roles.data ?? []).filter((r) => r.homeKind === kind).map((r) => r.id));
            form.setField('roles', form.values.roles.filter((id) => fitting.has(id)));
          }}
          allowDeselect={false}
          searchable
          error={form.errors.homeId}
        />
      ) : (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            Home
          </Text>
          <Text size="sm" c="dimmed">
            {me.home.name}
          </Text>
        </Stack>
      )}
      <MultiSelect
        label="Roles"
        required
        placeholder={form.values.roles.length ? undefined : 'Choose roles'}
        data={roleOptions}
        value={form.values.roles}
        onChange={(v) => form.setField('roles', v)}
        error={form.errors.roles}
        nothingFoundMessage={roles.isPending ? 'Loading roles…' : 'No roles for this home'}
        searchable
      />
    </ModalForm>
  );
}

/** "Invite user": email, name, home and roles. */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Invite user" size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <InviteUserForm onClose={onClose} />
    </Modal>
  );
}
