import { useParams } from 'react-router';

import { ContactsPage } from '@/features/tenant-app/contacts/components/contacts-page';

/** The tenant's contacts, `/t/:tenantId/contacts`. */
export function ContactsRoute() {
  const { tenantId = '' } = useParams();
  return <ContactsPage key={tenantId} tenantId={tenantId} />;
}
