import { Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { RecordHistory } from '@/components/record-author';
import { useToast } from '@/components/toaster';
import { channelLabels, directionLabels, skills, type Skill } from '@/features/tenant-app/skills/api/skills';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', channel: 'Channel', direction: 'Direction' };

const valuesOf = (s: Skill | null) => ({ name: s?.name ?? '', channel: s?.channel ?? 'phone', direction: s?.direction ?? 'inbound' });

function SkillForm({ tenantId, skill, onClose }: { tenantId: string; skill: Skill | null; onClose: () => void }) {
  const [base, setBase] = useState(skill);
  const create = skills.useCreate(tenantId);
  const update = skills.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  const form = useForm(valuesOf(skill), (v) => ({ name: required(v.name, 'Name') }));
  const reload = useReload(
    () => skills.fetchItem(tenantId, skill!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const body = { name: v.name.trim(), channel: v.channel, direction: v.direction };
    const onSuccess = (s: Skill) => {
      toast({ message: base ? `“${s.name}” is saved.` : `Skill “${s.name}” created.` });
      onClose();
    };
    if (base) update.mutate({ id: base.id, version: base.version, changes: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Create skill'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
      footer={base && <RecordHistory record={base} />}
    >
      <TextInput label="Name" required data-autofocus maxLength={100} placeholder="e.g. Outbound Phone (FR)" {...form.text('name')} />
      <Select
        label="Channel"
        required
        data={Object.entries(channelLabels).map(([value, label]) => ({ value, label }))}
        value={form.values.channel}
        onChange={(v) => v && form.setField('channel', v as Skill['channel'] & string)}
        error={form.errors.channel}
        allowDeselect={false}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="skill-direction-label">
          Direction
        </Text>
        <SegmentedControl
          aria-labelledby="skill-direction-label"
          value={form.values.direction}
          onChange={(v) => form.setField('direction', v as Skill['direction'] & string)}
          data={Object.entries(directionLabels).map(([value, label]) => ({ value, label }))}
          w="fit-content"
        />
        {form.errors.direction && (
          <Text size="xs" c="red">
            {form.errors.direction}
          </Text>
        )}
      </Stack>
    </ModalForm>
  );
}

interface SkillFormModalProps {
  tenantId: string;
  skill: Skill | null;
  opened: boolean;
  onClose: () => void;
}

/** "New skill" and "Edit skill". */
export function SkillFormModal({ tenantId, skill, opened, onClose }: SkillFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={skill ? `Edit ${skill.name}` : 'New skill'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <SkillForm key={skill?.id ?? 'new'} tenantId={tenantId} skill={skill} onClose={onClose} />
    </Modal>
  );
}
