import type { components, operations } from '@/lib/api-schema';
import { tenantResource } from '@/lib/tenant-resource';

/** One of the tenant's own customers (personal data). */
export type Contact = components['schemas']['Contact'];
/** The body of a new contact. */
export type ContactCreate = operations['createContacts']['requestBody']['content']['application/json'];

/** `/api/tenants/{id}/contacts`. */
export const contacts = tenantResource<Contact, ContactCreate>('contacts');
