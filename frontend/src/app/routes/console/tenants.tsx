import { TenantsPage } from '@/features/tenants/components/tenants-page';

/** The Tenants page. */
export function TenantsRoute() {
  return <TenantsPage />;
}
