import type { components, operations } from '@/lib/api-schema';
import { tenantResource } from '@/lib/tenant-resource';

/** A branding profile: product name, colours and logo shown to the tenant's people. */
export type BrandingProfile = components['schemas']['BrandingProfile'];
/** The body of a new branding profile. */
export type BrandingCreate = operations['createBrandingProfiles']['requestBody']['content']['application/json'];

/** `/api/tenants/{id}/branding`. */
export const branding = tenantResource<BrandingProfile, BrandingCreate>('branding');

/** Whether s is an https URL (the only kind of logo address accepted). */
export function isHttpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}
