import { useImpersonationStarter } from '@/features/impersonation/hooks/use-impersonation-starter';
import { TenantsPage } from '@/features/tenants/components/tenants-page';

/** The Partners page: the tenants list, of partners only. */
export function PartnersRoute() {
  const impersonation = useImpersonationStarter();
  return (
    <>
      <TenantsPage partnersOnly onImpersonate={impersonation.start} />
      {impersonation.dialog}
    </>
  );
}
