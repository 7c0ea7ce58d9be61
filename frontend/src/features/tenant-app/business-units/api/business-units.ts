import type { components, operations } from '@/lib/api-schema';
import { tenantResource } from '@/lib/tenant-resource';

/** A business unit: a part of the contact centre with its own time zone. */
export type BusinessUnit = components['schemas']['BusinessUnit'];
/** The body of a new business unit. */
export type BusinessUnitCreate = operations['createBusinessUnits']['requestBody']['content']['application/json'];

/** `/api/tenants/{id}/business-units`. */
export const businessUnits = tenantResource<BusinessUnit, BusinessUnitCreate>('business-units');

/** Every IANA time zone the browser knows, for the time zone picker. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}
