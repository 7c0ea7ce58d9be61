import { Alert, Anchor, Button, Divider, Group, NumberInput, Paper, SimpleGrid, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';

import { ErrorPanel } from '@/components/error-panel';
import { fieldErrorsOf, MutationError } from '@/components/mutation-error';
import { Page } from '@/components/page';
import { useToast } from '@/components/toaster';
import { paths } from '@/config/paths';
import { fetchGlobalPolicy, useGlobalPolicy, useUpdateGlobalPolicy, type PolicySettings } from '@/features/settings/api/settings';
import {
  modeSettings,
  numberSettings,
  policyFieldLabels,
  safeguardSettings,
  startSettings,
  type BooleanSetting,
} from '@/features/settings/components/policy-fields';
import { useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';
import { isApiError } from '@/lib/api-error';

type BooleanKey = BooleanSetting['key'];
type NumberKey = (typeof numberSettings)[number]['key'];
type Values = Record<BooleanKey, boolean> & Record<NumberKey, number | string>;

function toValues(s: PolicySettings): Values {
  return {
    supportEnabled: s.supportEnabled ?? true,
    configureEnabled: s.configureEnabled ?? true,
    requireReason: s.requireReason ?? true,
    bindFootprint: s.bindFootprint ?? true,
    maskPersonalData: s.maskPersonalData ?? true,
    disableExport: s.disableExport ?? true,
    notifyTenantAdmins: s.notifyTenantAdmins ?? true,
    maxDurationMinutes: s.maxDurationMinutes ?? 60,
    idleTimeoutMinutes: s.idleTimeoutMinutes ?? 15,
    reauthWithinMinutes: s.reauthWithinMinutes ?? 15,
  };
}

function validate(v: Values): Partial<Record<keyof Values, string>> {
  const errors: Partial<Record<keyof Values, string>> = {};
  for (const s of numberSettings) {
    const n = v[s.key];
    if (n === '' || n === undefined) errors[s.key] = `${s.label} is required`;
    else if (typeof n !== 'number' || !Number.isInteger(n)) errors[s.key] = `${s.label} must be a whole number of minutes`;
  }
  return errors;
}

/**
 * The platform-wide impersonation policy (TM Admins). Partner Admins, who may not change it, learn
 * where they can tighten it for their own tenants.
 */
export function SettingsPage() {
  const policy = useGlobalPolicy();
  const forbidden = isApiError(policy.error, 'forbidden');

  return (
    <Page title="Settings" description="Security settings, including the impersonation policy.">
      {forbidden ? (
        <Alert color="blue" variant="light" title="The platform’s policy is set by its TM Admins" maw={720}>
          <Stack gap="xs">
            <Text size="sm">
              The impersonation policy for the whole platform is in the hands of the platform’s TM Admins. You can tighten it for
              your own tenants: open a tenant and use its <strong>Impersonation policy</strong> card. A tighter setting there
              always wins; nobody can loosen the platform’s.
            </Text>
            <Anchor component={Link} to={paths.tenants} size="sm">
              Go to your tenants
            </Anchor>
          </Stack>
        </Alert>
      ) : policy.isError && !policy.data ? (
        <ErrorPanel error={policy.error} onRetry={() => void policy.refetch()} />
      ) : policy.data ? (
        <PolicyForm policy={policy.data} />
      ) : (
        <Paper withBorder radius="md" p="lg" aria-hidden>
          <Stack gap="md">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} height={18} width={`${50 + ((i * 13) % 40)}%`} />
            ))}
          </Stack>
        </Paper>
      )}
    </Page>
  );
}

function PolicyForm({ policy }: { policy: PolicySettings }) {
  const saved = useRef(toValues(policy));
  const form = useForm<Values>(saved.current, validate);
  const update = useUpdateGlobalPolicy();
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const reload = useReload(fetchGlobalPolicy, (latest) => {
    saved.current = toValues(latest);
    form.reset(saved.current);
    update.reset();
  });

  // The first field the server (or the check before sending) refused gets the focus.
  useEffect(() => {
    if (Object.values(form.errors).some(Boolean)) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form.errors]);

  const dirty = JSON.stringify(form.values) !== JSON.stringify(saved.current);

  const submit = form.onSubmit((v) => {
    // The whole layer goes, with the version it changes.
    update.mutate({ ...(v as PolicySettings), version: policy.version }, {
      onSuccess: (result) => {
        saved.current = toValues(result);
        form.reset(saved.current);
        toast({ message: 'Impersonation policy saved.' });
      },
      onError: (err) => form.setErrors(fieldErrorsOf(err, policyFieldLabels)),
    });
  });

  const switchFor = (s: BooleanSetting) => (
    <Switch
      key={s.key}
      label={s.label}
      // The label wraps the description too: name the switch by its label alone (the description stays its description).
      aria-label={s.label}
      description={s.help}
      checked={form.values[s.key]}
      onChange={(e) => form.setField(s.key, e.currentTarget.checked)}
    />
  );

  return (
    <Paper withBorder radius="md" p="lg" component="form" ref={formRef} onSubmit={submit} noValidate aria-labelledby="impersonation-policy" maw={880}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={2} size="h4" id="impersonation-policy">
            Impersonation policy
          </Title>
          <Text size="sm" c="dimmed">
            The platform-wide rules for stepping into a tenant. Partners can tighten them for their own tenants, and so can you,
            per tenant, on each tenant’s page; the most restrictive setting always applies.
          </Text>
        </Stack>

        <Stack gap="sm" component="fieldset" m={0} p={0} style={{ border: 0 }}>
          <Text component="legend" fw={600} size="sm" p={0} mb="xs">
            Modes
          </Text>
          {modeSettings.map(switchFor)}
        </Stack>
        <Divider />
        <Stack gap="sm" component="fieldset" m={0} p={0} style={{ border: 0 }}>
          <Text component="legend" fw={600} size="sm" p={0} mb="xs">
            Starting a session
          </Text>
          {startSettings.map(switchFor)}
        </Stack>
        <Divider />
        <Stack gap="sm" component="fieldset" m={0} p={0} style={{ border: 0 }}>
          <Text component="legend" fw={600} size="sm" p={0} mb="xs">
            Limits
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
            {numberSettings.map((s) => (
              <NumberInput
                key={s.key}
                label={`${s.label} (minutes)`}
                description={s.help}
                min={s.min}
                max={s.max}
                clampBehavior="none"
                allowDecimal={false}
                allowNegative={false}
                value={form.values[s.key]}
                onChange={(v) => form.setField(s.key, v)}
                error={form.errors[s.key]}
                inputWrapperOrder={['label', 'input', 'error', 'description']}
              />
            ))}
          </SimpleGrid>
        </Stack>
        <Divider />
        <Stack gap="sm" component="fieldset" m={0} p={0} style={{ border: 0 }}>
          <Text component="legend" fw={600} size="sm" p={0} mb="xs">
            Safeguards while impersonating
          </Text>
          {safeguardSettings.map(switchFor)}
        </Stack>

        <MutationError error={update.error} fields={policyFieldLabels} onReload={() => void reload.reload()} reloading={reload.reloading} />
        <Group justify="flex-end" gap="sm">
          {dirty && (
            <Button variant="default" onClick={() => form.reset(saved.current)} disabled={update.isPending}>
              Discard changes
            </Button>
          )}
          <Button type="submit" loading={update.isPending} disabled={!dirty}>
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
