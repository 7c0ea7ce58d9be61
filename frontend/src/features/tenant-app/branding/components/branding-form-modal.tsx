import { ColorInput, Grid, Modal, SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';

import { ModalForm } from '@/components/modal-form';
import { fieldErrorsOf } from '@/components/mutation-error';
import { RecordHistory } from '@/components/record-author';
import { useToast } from '@/components/toaster';
import { branding, isHttpsUrl, type BrandingProfile } from '@/features/tenant-app/branding/api/branding';
import { BrandingPreview } from '@/features/tenant-app/branding/components/branding-preview';
import { required, useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';

const fields = { name: 'Name', productName: 'Product name', primaryColor: 'Primary colour', accentColor: 'Accent colour', logoUrl: 'Logo URL' };
const hex = /^#[0-9a-fA-F]{6}$/;
const swatches = ['#c92a2a', '#e8590c', '#f08c00', '#2f9e44', '#0c8599', '#1c7ed6', '#4263eb', '#7048e8', '#ae3ec9', '#212529'];

const valuesOf = (b: BrandingProfile | null) => ({
  name: b?.name ?? '',
  productName: b?.productName ?? '',
  primaryColor: b?.primaryColor ?? '#4263eb',
  accentColor: b?.accentColor ?? '#f08c00',
  logoUrl: b?.logoUrl ?? '',
});

function BrandingForm({ tenantId, profile, onClose }: { tenantId: string; profile: BrandingProfile | null; onClose: () => void }) {
  const [base, setBase] = useState(profile);
  const create = branding.useCreate(tenantId);
  const update = branding.useUpdate(tenantId);
  const mutation = base ? update : create;
  const toast = useToast();
  const form = useForm(valuesOf(profile), (v) => ({
    name: required(v.name, 'Name'),
    productName: required(v.productName, 'Product name'),
    primaryColor: hex.test(v.primaryColor) ? undefined : 'Primary colour must be a colour such as #1c7ed6',
    accentColor: !v.accentColor || hex.test(v.accentColor) ? undefined : 'Accent colour must be a colour such as #f08c00',
    logoUrl: !v.logoUrl.trim() || isHttpsUrl(v.logoUrl.trim()) ? undefined : 'Logo URL must start with https://',
  }));
  const reload = useReload(
    () => branding.fetchItem(tenantId, profile!.id),
    (latest) => {
      setBase(latest);
      form.reset(valuesOf(latest));
      update.reset();
    },
  );

  const onError = (err: unknown) => form.setErrors(fieldErrorsOf(err, fields));
  const submit = form.onSubmit((v) => {
    const body = {
      name: v.name.trim(),
      productName: v.productName.trim(),
      primaryColor: v.primaryColor,
      accentColor: v.accentColor,
      logoUrl: v.logoUrl.trim(),
    };
    const onSuccess = (b: BrandingProfile) => {
      toast({ message: base ? `“${b.name}” is saved.` : `Branding profile “${b.name}” created.` });
      onClose();
    };
    if (base) update.mutate({ id: base.id, version: base.version, changes: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={base ? 'Save changes' : 'Create profile'}
      submitting={mutation.isPending}
      error={reload.error ?? mutation.error}
      fields={fields}
      errors={form.errors}
      onReload={base ? () => void reload.reload() : undefined}
      reloading={reload.reloading}
      footer={base && <RecordHistory record={base} />}
    >
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <SimpleGrid cols={1} spacing="sm">
            <TextInput label="Name" required data-autofocus description="For you: which profile this is." {...form.text('name')} />
            <TextInput label="Product name" required description="What the tenant's people see." {...form.text('productName')} />
            <SimpleGrid cols={2} spacing="sm">
              <ColorInput
                label="Primary colour"
                required
                format="hex"
                swatches={swatches}
                value={form.values.primaryColor}
                onChange={(v) => form.setField('primaryColor', v)}
                error={form.errors.primaryColor}
              />
              <ColorInput
                label="Accent colour"
                format="hex"
                swatches={swatches}
                value={form.values.accentColor}
                onChange={(v) => form.setField('accentColor', v)}
                error={form.errors.accentColor}
              />
            </SimpleGrid>
            <TextInput label="Logo URL" type="url" placeholder="https://…" description="An https address of an image." {...form.text('logoUrl')} />
          </SimpleGrid>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <BrandingPreview {...form.values} />
        </Grid.Col>
      </Grid>
    </ModalForm>
  );
}

interface BrandingFormModalProps {
  tenantId: string;
  profile: BrandingProfile | null;
  opened: boolean;
  onClose: () => void;
}

/** "New branding profile" and "Edit branding profile", with a live preview. */
export function BrandingFormModal({ tenantId, profile, opened, onClose }: BrandingFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={profile ? `Edit ${profile.name}` : 'New branding profile'} size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
      <BrandingForm key={profile?.id ?? 'new'} tenantId={tenantId} profile={profile} onClose={onClose} />
    </Modal>
  );
}
