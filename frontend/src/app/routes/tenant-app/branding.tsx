import { useParams } from 'react-router';

import { BrandingPage } from '@/features/tenant-app/branding/components/branding-page';

/** The tenant's branding profiles, `/t/:tenantId/branding`. */
export function BrandingRoute() {
  const { tenantId = '' } = useParams();
  return <BrandingPage key={tenantId} tenantId={tenantId} />;
}
