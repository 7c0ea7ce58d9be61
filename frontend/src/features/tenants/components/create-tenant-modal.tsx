import { Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import { useCreateTenant, usePartnerOptions, type Tenant } from '@/features/tenants/api/tenants';
import { required, useForm } from '@/hooks/use-form';
import { useCurrentUser } from '@/lib/auth';
import { useCan } from '@/lib/permissions';

type Kind = Tenant['kind'];

const fields = { name: 'Name', kind: 'Kind', parentId: 'Parent' };
// Mantine's Select cannot hold '' as a value: this stands for "directly under the platform".
const platformParent = 'platform';

interface CreateTenantFormProps {
  /** The kinds this user may create, the first one preselected. */
  kinds: Kind[];
  onClose: () => void;
  onCreated?: (tenant: Tenant) => void;
}

function CreateTenantForm({ kinds, onClose, onCreated }: CreateTenantFormProps) {
  const me = useCurrentUser();
  const create = useCreateTenant();
  const toast = useToast();
  // Platform users choose the parent of a customer; a partner admin's customers go under their
  // partner, which the server fills in.
  const choosesParent = me.home.kind === 'platform';
  const partners = usePartnerOptions(choosesParent && kinds.includes('customer'));
  const form = useForm({ name: '', kind: kinds[0], parentId: platformParent }, (v) => ({
    name: required(v.name, 'Name') ?? (v.name.trim().length < 2 ? 'Name is too short' : undefined),
  }));
  const { kind } = form.values;

  const parentOptions = [
    { value: platformParent, label: `${me.home.name} (platform)` },
    ...(partners.data ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];

  return (
    <ModalForm
      onSubmit={form.onSubmit((v) =>
        create.mutate(
          {
            name: v.name.trim(),
            kind: v.kind,
            ...(choosesParent && v.kind === 'customer' && v.parentId !== platformParent ? { parentId: v.parentId } : {}),
          },
          {
            onSuccess: (t) => {
              toast({ message: `${t.kind === 'partner' ? 'Partner' : 'Tenant'} “${t.name}” created.` });
              onCreated?.(t);
              onClose();
            },
            onError: (err) => form.setErrors(fieldErrorsOf(err, fields)),
          },
        ),
      )}
      onCancel={onClose}
      submitLabel={kind === 'partner' ? 'Create partner' : 'Create tenant'}
      submitting={create.isPending}
      error={create.error}
      fields={fields}
      errors={form.errors}
    >
      <TextInput label="Name" required data-autofocus description="Unique across Regent, 2 to 100 characters." {...form.text('name')} />
      {kinds.length > 1 ? (
        <Radio.Group label="Kind" required value={kind} onChange={(v) => form.setField('kind', v as Kind)} error={form.errors.kind}>
          <Group gap="lg" mt={6}>
            <Radio value="customer" label="Customer" description="A business using the contact centre" />
            <Radio value="partner" label="Partner" description="Resells and manages customers" />
          </Group>
        </Radio.Group>
      ) : null}
      {kind === 'customer' &&
        (choosesParent ? (
          <Select
            label="Parent"
            description="The partner that manages this customer, or the platform itself."
            data={parentOptions}
            value={form.values.parentId}
            onChange={(v) => form.setField('parentId', v ?? platformParent)}
            allowDeselect={false}
            searchable
            nothingFoundMessage="No partner by that name"
            error={form.errors.parentId}
          />
        ) : (
          <Stack gap={2}>
            <Text size="sm" fw={500}>
              Parent
            </Text>
            <Text size="sm" c="dimmed">
              {me.home.name}
            </Text>
          </Stack>
        ))}
    </ModalForm>
  );
}

interface CreateTenantModalProps {
  opened: boolean;
  onClose: () => void;
  /** Only partners (the Partners page). */
  partnersOnly?: boolean;
  onCreated?: (tenant: Tenant) => void;
}

/** "New tenant" / "New partner": the kinds offered follow tenants:create and partners:create. */
export function CreateTenantModal({ opened, onClose, partnersOnly = false, onCreated }: CreateTenantModalProps) {
  const kinds = useCreatableKinds(partnersOnly);
  const title = kinds.length === 1 && kinds[0] === 'partner' ? 'New partner' : 'New tenant';
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {kinds.length > 0 && <CreateTenantForm kinds={kinds} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

/** The tenant kinds the user may create (customers first). */
export function useCreatableKinds(partnersOnly = false): Kind[] {
  const can = useCan();
  const kinds: Kind[] = [];
  if (!partnersOnly && can('tenants:create')) kinds.push('customer');
  if (can('partners:create')) kinds.push('partner');
  return kinds;
}
