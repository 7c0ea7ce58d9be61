import { useImpersonationStarter } from '@/features/impersonation/hooks/use-impersonation-starter';
import { TenantsPage } from '@/features/tenants/components/tenants-page';

/** The Tenants page, whose actions menus also start impersonations. */
export function TenantsRoute() {
  const impersonation = useImpersonationStarter();
  return (
    <>
      <TenantsPage onImpersonate={impersonation.start} />
      {impersonation.dialog}
    </>
  );
}
