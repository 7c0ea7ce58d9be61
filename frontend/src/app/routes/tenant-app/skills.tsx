import { useParams } from 'react-router';

import { SkillsPage } from '@/features/tenant-app/skills/components/skills-page';

/** The tenant's skills, `/t/:tenantId/acd/skills`. */
export function SkillsRoute() {
  const { tenantId = '' } = useParams();
  return <SkillsPage key={tenantId} tenantId={tenantId} />;
}
