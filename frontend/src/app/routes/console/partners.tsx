import { TenantsPage } from '@/features/tenants/components/tenants-page';

/** The Partners page: the tenants list, of partners only. */
export function PartnersRoute() {
  return <TenantsPage partnersOnly />;
}
