import { Modal, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { RecordHistory } from '@/components/record-author';
import { useToast } from '@/components/toaster';
import { contacts, type Contact } from '@/features/tenant-app/contacts/api/contacts';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', email: 'Email', phone: 'Phone', notes: 'Notes' };
const notesLimit = 2000;

const valuesOf = (c: Contact | null) => ({ name: c?.name ?? '', email: c?.email ?? '', phone: c?.phone ?? '', notes: c?.notes ?? '' });

function ContactForm({ tenantId, contact, onClose }: { tenantId: string; contact: Contact | null; onClose: () => void }) {
  const [base, setBase] = useState(contact);
  const create = contacts.useCreate(tenantId);
  const update = contacts.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  const form = useForm(valuesOf(contact), (v) => ({
    name: required(v.name, 'Name'),
    email: !v.email.trim() || /^\S+@\S+\.\S+$/.test(v.email.trim()) ? undefined : 'Email must be an address such as name@example.com',
    notes: v.notes.length > notesLimit ? `Notes must be at most ${notesLimit} characters` : undefined,
  }));
  const reload = useReload(
    () => contacts.fetchItem(tenantId, contact!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const body = { name: v.name.trim(), email: v.email.trim(), phone: v.phone.trim(), notes: v.notes };
    const onSuccess = (c: Contact) => {
      toast({ message: base ? `“${c.name}” is saved.` : `Contact “${c.name}” created.` });
      onClose();
    };
    if (base) update.mutate({ id: base.id, version: base.version, changes: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Create contact'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
      footer={base && <RecordHistory record={base} />}
    >
      <TextInput label="Name" required data-autofocus autoComplete="off" {...form.text('name')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label="Email" type="email" autoComplete="off" {...form.text('email')} />
        <TextInput label="Phone" type="tel" autoComplete="off" placeholder="+33 1 23 45 67 89" {...form.text('phone')} />
      </SimpleGrid>
      <Textarea
        label="Notes"
        autosize
        minRows={3}
        maxRows={8}
        description={`${form.values.notes.length} / ${notesLimit}`}
        {...form.text('notes')}
      />
    </ModalForm>
  );
}

interface ContactFormModalProps {
  tenantId: string;
  contact: Contact | null;
  opened: boolean;
  onClose: () => void;
}

/** "New contact" and "Edit contact". */
export function ContactFormModal({ tenantId, contact, opened, onClose }: ContactFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={contact ? `Edit ${contact.name}` : 'New contact'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <ContactForm key={contact?.id ?? 'new'} tenantId={tenantId} contact={contact} onClose={onClose} />
    </Modal>
  );
}
