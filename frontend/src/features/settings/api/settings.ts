import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { components } from '@/lib/api-schema';

/** One policy layer: a null (or missing) field is inherited from the layers above. */
export type PolicySettings = components['schemas']['PolicySettings'];

/** A resolved policy: every field set. */
export type EffectivePolicy = { [K in Exclude<keyof PolicySettings, 'version'>]-?: NonNullable<PolicySettings[K]> };

/** The caller's layer for one tenant, whose layer it is, and the policy in force there. */
export type TenantPolicy = PolicySettings & { level: 'platform' | 'partner'; effective: EffectivePolicy };

/** Query keys of the impersonation policy. */
export const settingsKeys = {
  all: ['settings'] as const,
  global: ['settings', 'impersonation', 'global'] as const,
  tenant: (tenantId: string) => ['settings', 'impersonation', 'tenant', tenantId] as const,
};

const tenantPolicyPath = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/settings/impersonation`;

/** The global impersonation policy (TM Admins; others are refused with 403). */
export function useGlobalPolicy() {
  return useQuery({
    queryKey: settingsKeys.global,
    queryFn: ({ signal }) => api.get<PolicySettings>('/api/settings/impersonation', { signal }),
  });
}

/** Fetches the global policy afresh (for "Reload" after a version conflict). */
export const fetchGlobalPolicy = () => api.get<PolicySettings>('/api/settings/impersonation');

/** Changes the global policy; the body names the version being changed. */
export function useUpdateGlobalPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicySettings) => api.put<PolicySettings>('/api/settings/impersonation', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.global, saved);
      // Every tenant's policy in force may have changed.
      return queryClient.invalidateQueries({ queryKey: ['settings', 'impersonation', 'tenant'] });
    },
  });
}

/** The caller's layer of a tenant's impersonation policy, and the policy in force there. */
export function useTenantPolicy(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: settingsKeys.tenant(tenantId),
    queryFn: ({ signal }) => api.get<TenantPolicy>(tenantPolicyPath(tenantId), { signal }),
    enabled,
  });
}

/** Fetches a tenant's policy afresh (for "Reload" after a version conflict). */
export const fetchTenantPolicy = (tenantId: string) => api.get<TenantPolicy>(tenantPolicyPath(tenantId));

/** Replaces the caller's layer for a tenant: fields left out are inherited. */
export function useUpdateTenantPolicy(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicySettings) => api.put<TenantPolicy>(tenantPolicyPath(tenantId), body),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.tenant(tenantId), saved);
      // The tenant's impersonation menu follows the policy in force.
      return queryClient.invalidateQueries({ queryKey: ['tenants'] });
    },
  });
}
