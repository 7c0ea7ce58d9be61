import { Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { RecordHistory } from '@/components/record-author';
import { useToast } from '@/components/toaster';
import { businessUnits, timeZones, type BusinessUnit } from '@/features/tenant-app/business-units/api/business-units';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', timeZone: 'Time zone', status: 'Status' };

// A new unit starts in the browser's own time zone, which is usually where the admin works.
const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const valuesOf = (b: BusinessUnit | null) => ({ name: b?.name ?? '', timeZone: b?.timeZone ?? localZone, status: b?.status ?? 'active' });

function BusinessUnitForm({ tenantId, unit, onClose }: { tenantId: string; unit: BusinessUnit | null; onClose: () => void }) {
  const [base, setBase] = useState(unit);
  const create = businessUnits.useCreate(tenantId);
  const update = businessUnits.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  // The zone the form starts with is always offered, or the field would look empty while
  // holding it: browsers name zones the list leaves out (Chromium's list has no "UTC").
  const zones = useMemo(() => {
    const all = timeZones();
    const current = base?.timeZone ?? localZone;
    return all.includes(current) ? all : [current, ...all];
  }, [base?.timeZone]);
  const form = useForm(valuesOf(unit), (v) => ({ name: required(v.name, 'Name'), timeZone: required(v.timeZone, 'Time zone') }));
  const reload = useReload(
    () => businessUnits.fetchItem(tenantId, unit!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const body = { name: v.name.trim(), timeZone: v.timeZone, status: v.status as BusinessUnit['status'] };
    const onSuccess = (b: BusinessUnit) => {
      toast({ message: base ? `“${b.name}” is saved.` : `Business unit “${b.name}” created.` });
      onClose();
    };
    if (base) update.mutate({ id: base.id, version: base.version, changes: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Create business unit'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
      footer={base && <RecordHistory record={base} />}
    >
      <TextInput label="Name" required data-autofocus maxLength={100} {...form.text('name')} />
      <Select
        label="Time zone"
        required
        searchable
        data={zones}
        value={form.values.timeZone}
        onChange={(v) => form.setField('timeZone', v ?? '')}
        error={form.errors.timeZone}
        nothingFoundMessage="No time zone by that name"
        limit={50}
        allowDeselect={false}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="bu-status-label">
          Status
        </Text>
        <SegmentedControl
          aria-labelledby="bu-status-label"
          value={form.values.status}
          onChange={(v) => form.setField('status', v)}
          data={[
            { value: 'active', label: 'Active' },
            { value: 'inactive', label: 'Inactive' },
          ]}
          w="fit-content"
        />
        {form.errors.status && (
          <Text size="xs" c="red">
            {form.errors.status}
          </Text>
        )}
      </Stack>
    </ModalForm>
  );
}

interface BusinessUnitFormModalProps {
  tenantId: string;
  unit: BusinessUnit | null;
  opened: boolean;
  onClose: () => void;
}

/** "New business unit" and "Edit business unit". */
export function BusinessUnitFormModal({ tenantId, unit, opened, onClose }: BusinessUnitFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={unit ? `Edit ${unit.name}` : 'New business unit'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <BusinessUnitForm key={unit?.id ?? 'new'} tenantId={tenantId} unit={unit} onClose={onClose} />
    </Modal>
  );
}
