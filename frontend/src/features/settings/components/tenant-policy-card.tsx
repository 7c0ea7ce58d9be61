import { Badge, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';

import { ErrorPanel } from '@/components/error-panel';
import { fieldErrorsOf, MutationError } from '@/components/mutation-error';
import { useToast } from '@/components/toaster';
import {
  fetchTenantPolicy,
  useTenantPolicy,
  useUpdateTenantPolicy,
  type EffectivePolicy,
  type PolicySettings,
  type TenantPolicy,
} from '@/features/settings/api/settings';
import {
  booleanSettings,
  formatMinutes,
  numberSettings,
  policyFieldLabels,
  type BooleanSetting,
  type NumberSetting,
} from '@/features/settings/components/policy-fields';
import { useForm } from '@/hooks/use-form';
import { useReload } from '@/hooks/use-reload';
import { isApiError } from '@/lib/api-error';
import { useCan } from '@/lib/permissions';

type Choice = 'inherit' | 'on' | 'off';
type BooleanKey = BooleanSetting['key'];
type NumberKey = NumberSetting['key'];
/** The layer as the form holds it: a choice per yes/no setting; a number, or null to inherit. */
type Values = Record<BooleanKey, Choice> & Record<NumberKey, number | string | null>;

function toValues(p: PolicySettings): Values {
  const out = {} as Values;
  for (const s of booleanSettings) {
    const v = p[s.key];
    out[s.key] = v === true ? 'on' : v === false ? 'off' : 'inherit';
  }
  for (const s of numberSettings) out[s.key] = p[s.key] ?? null;
  return out;
}

/** The layer to PUT: explicit values only; what is left out is inherited. */
export function layerBody(v: Values, version: number | undefined): PolicySettings {
  const body: PolicySettings = {};
  for (const s of booleanSettings) {
    if (v[s.key] !== 'inherit') body[s.key] = v[s.key] === 'on';
  }
  for (const s of numberSettings) {
    const n = v[s.key];
    if (n !== null && n !== '') body[s.key] = Number(n);
  }
  if (version) body.version = version;
  return body;
}

function validate(v: Values): Partial<Record<keyof Values, string>> {
  const errors: Partial<Record<keyof Values, string>> = {};
  for (const s of numberSettings) {
    const n = v[s.key];
    if (n === '') errors[s.key] = `${s.label} is required, or choose Inherit`;
    else if (typeof n === 'number' && !Number.isInteger(n)) errors[s.key] = `${s.label} must be a whole number of minutes`;
  }
  return errors;
}

/** Whether this layer's own value is looser than the policy in force (another layer is stricter). */
function overruled(s: BooleanSetting, choice: Choice, effective: EffectivePolicy): boolean {
  if (choice === 'inherit') return false;
  return (choice === 'on') !== effective[s.key];
}

function InForce({ children, overruledBy }: { children: string; overruledBy?: boolean }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {children}
      </Text>
      {overruledBy && (
        <Text size="xs" c="orange.8">
          A stricter layer applies
        </Text>
      )}
    </Stack>
  );
}

interface TenantPolicyCardProps {
  tenantId: string;
  tenantName?: string;
}

/**
 * A tenant's own impersonation policy layer, for TM Admins (the platform's layer) and Partner
 * Admins (the partner's): each setting inherited or set here, beside the value in force.
 */
export function TenantPolicyCard({ tenantId, tenantName }: TenantPolicyCardProps) {
  const can = useCan();
  const allowed = can('impersonation:settings');
  const policy = useTenantPolicy(tenantId, allowed);
  if (!allowed || isApiError(policy.error, 'forbidden') || isApiError(policy.error, 'not_found')) return null;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={`policy-${tenantId}`}>
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h4" id={`policy-${tenantId}`}>
            Impersonation policy
          </Title>
          <Text size="sm" c="dimmed">
            The policy in force here combines the platform’s rules, the partner’s and this tenant’s own. The most restrictive layer
            applies, so a layer can only tighten: switch a mode off or a safeguard on, or shorten a limit. Settings left on
            “Inherit” follow the layers above.
          </Text>
        </Stack>
        {policy.isError && !policy.data ? (
          <ErrorPanel error={policy.error} onRetry={() => void policy.refetch()} />
        ) : policy.data ? (
          <LayerForm tenantId={tenantId} tenantName={tenantName} policy={policy.data} />
        ) : (
          <Stack gap="sm" aria-hidden>
            {Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} height={24} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function LayerForm({ tenantId, tenantName, policy }: { tenantId: string; tenantName?: string; policy: TenantPolicy }) {
  const saved = useRef(toValues(policy));
  const form = useForm<Values>(saved.current, validate);
  const update = useUpdateTenantPolicy(tenantId);
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const reload = useReload(
    () => fetchTenantPolicy(tenantId),
    (latest) => {
      saved.current = toValues(latest);
      form.reset(saved.current);
      update.reset();
    },
  );
  useEffect(() => {
    if (Object.values(form.errors).some(Boolean)) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form.errors]);

  const dirty = JSON.stringify(form.values) !== JSON.stringify(saved.current);
  const eff = policy.effective;
  const whose = policy.level === 'platform' ? 'the platform’s layer' : 'your partner’s layer';

  const submit = form.onSubmit((v) =>
    update.mutate(layerBody(v, policy.version), {
      onSuccess: (result) => {
        saved.current = toValues(result);
        form.reset(saved.current);
        toast({ message: `Impersonation policy for ${tenantName ?? 'the tenant'} saved.` });
      },
      onError: (err) => form.setErrors(fieldErrorsOf(err, policyFieldLabels)),
    }),
  );

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group gap="xs">
          <Text size="sm">You are editing</Text>
          <Badge variant="light" radius="sm">
            {policy.level === 'platform' ? 'Platform layer' : 'Partner layer'}
          </Badge>
          <Text size="sm" c="dimmed">
            {policy.level === 'platform'
              ? 'Partners can tighten it further, never loosen it.'
              : 'The platform’s rules still apply on top of yours.'}
          </Text>
        </Group>
        <Table.ScrollContainer minWidth={620} type="native">
          <Table aria-label={`Impersonation policy, ${whose}`} verticalSpacing="sm" layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="40%">
                  Setting
                </Table.Th>
                <Table.Th scope="col">This layer</Table.Th>
                <Table.Th scope="col" w={160}>
                  In force
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {booleanSettings.map((s) => (
                <Table.Tr key={s.key}>
                  <Table.Th scope="row" fw={400}>
                    <Text size="sm" fw={500}>
                      {s.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.help}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <SegmentedControl
                      aria-label={s.label}
                      size="xs"
                      value={form.values[s.key]}
                      onChange={(v) => form.setField(s.key, v as Choice)}
                      data={[
                        { value: 'inherit', label: 'Inherit' },
                        { value: 'on', label: 'On' },
                        { value: 'off', label: 'Off' },
                      ]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <InForce overruledBy={overruled(s, form.values[s.key], eff)}>{eff[s.key] ? 'On' : 'Off'}</InForce>
                  </Table.Td>
                </Table.Tr>
              ))}
              {numberSettings.map((s) => {
                const value = form.values[s.key];
                const inherit = value === null;
                return (
                  <Table.Tr key={s.key}>
                    <Table.Th scope="row" fw={400}>
                      <Text size="sm" fw={500}>
                        {s.label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {s.help}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <Group gap="sm" align="flex-start" wrap="nowrap">
                        <Checkbox
                          label="Inherit"
                          aria-label={`Inherit ${s.label.toLowerCase()}`}
                          mt={6}
                          checked={inherit}
                          onChange={(e) => form.setField(s.key, e.currentTarget.checked ? null : eff[s.key])}
                        />
                        <NumberInput
                          aria-label={`${s.label} (minutes)`}
                          size="xs"
                          w={120}
                          min={s.min}
                          max={s.max}
                          clampBehavior="none"
                          allowDecimal={false}
                          allowNegative={false}
                          hideControls
                          rightSection={
                            <Text size="xs" c="dimmed" aria-hidden>
                              min
                            </Text>
                          }
                          disabled={inherit}
                          value={inherit ? '' : value}
                          placeholder={inherit ? 'Inherited' : undefined}
                          onChange={(v) => form.setField(s.key, v)}
                          error={form.errors[s.key]}
                        />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <InForce overruledBy={!inherit && typeof value === 'number' && value > eff[s.key]}>{formatMinutes(eff[s.key])}</InForce>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed">
          “In force” is what applies now, as last saved. A looser value on this layer is kept, but has no effect while a
          stricter layer applies.
        </Text>
        <MutationError error={update.error} fields={policyFieldLabels} onReload={() => void reload.reload()} reloading={reload.reloading} />
        <Group justify="flex-end" gap="sm">
          {dirty && (
            <Button variant="default" onClick={() => form.reset(saved.current)} disabled={update.isPending}>
              Discard changes
            </Button>
          )}
          <Button type="submit" loading={update.isPending} disabled={!dirty}>
            Save policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
