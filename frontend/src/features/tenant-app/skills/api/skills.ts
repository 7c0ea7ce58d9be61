import type { components, operations } from '@/lib/api-schema';
import { tenantResource } from '@/lib/tenant-resource';

/** A skill: what an agent can handle, on which channel and in which direction. */
export type Skill = components['schemas']['Skill'];
/** The body of a new skill. */
export type SkillCreate = operations['createSkills']['requestBody']['content']['application/json'];

/** `/api/tenants/{id}/skills`. */
export const skills = tenantResource<Skill, SkillCreate>('skills');

/** The channels, in words. */
export const channelLabels: Record<NonNullable<Skill['channel']>, string> = { phone: 'Phone', email: 'Email', chat: 'Chat', sms: 'SMS' };
/** The directions, in words. */
export const directionLabels: Record<NonNullable<Skill['direction']>, string> = { inbound: 'Inbound', outbound: 'Outbound', blended: 'Blended' };
