import type { components } from '@/lib/api-schema';

/** One event of the audit trail. */
export type AuditEvent = components['schemas']['AuditEvent'];
/** An impersonation session as the session list, the timeline and `/api/me` show it. */
export type ImpersonationSession = components['schemas']['Impersonation'];
/**
 * A session and everything done in it, in order: its first events, with how many it has and
 * whether `events` holds only the first of them.
 */
export type SessionTimeline = components['schemas']['SessionTimeline'];

const modeLabels: Record<string, string> = { support: 'Support', configure: 'Configure' };

/** "Support" or "Configure". */
export function modeLabel(mode: string): string {
  return modeLabels[mode] ?? mode;
}

const endReasons: Record<string, string> = {
  stopped: 'Stopped by the user',
  logout: 'The user signed out',
  expired: 'Reached its maximum duration',
  idle_timeout: 'Idle for too long',
  footprint_changed: 'IP address or browser changed',
  revoked: 'Ended by an administrator',
  grant_changed: 'The user’s access changed',
  actor_deactivated: 'The user was deactivated',
  actor_home_suspended: 'The user’s organisation was suspended',
  tenant_suspended: 'The tenant was suspended',
  policy_changed: 'The impersonation policy changed',
};

/** Why a session ended, in words. */
export function endReasonLabel(reason: string | null | undefined): string {
  if (!reason) return '';
  return endReasons[reason] ?? reason.replace(/_/g, ' ');
}

const restrictions: Record<string, string> = {
  mask_personal_data: 'Personal data masked',
  export_disabled: 'Exports disabled',
  bound_to_footprint: 'Bound to IP address and browser',
  tenant_admins_notified: 'Tenant admins notified',
};

/** A session restriction, in words. */
export function restrictionLabel(r: string): string {
  return restrictions[r] ?? r.replace(/_/g, ' ');
}

const actions: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.logout': 'Signed out',
  'auth.session_ended': 'Console session ended',
  'impersonation.start': 'Impersonation started',
  'impersonation.end': 'Impersonation ended',
  'impersonation_policy.update': 'Impersonation policy changed',
  'access_log.acknowledge': 'Access Log viewed',
  'audit.export': 'Audit trail exported',
  'audit.archive': 'Audit trail archived',
  'system.demo_seed': 'Demo data loaded',
};

const verbs: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  invite: 'invited',
  deactivate: 'deactivated',
  reactivate: 'reactivated',
  suspend: 'suspended',
  export: 'exported',
};

/** An audit action in words: "auth.login" is "Signed in", "employee.create" "Employee created". */
export function actionLabel(action: string): string {
  if (actions[action]) return actions[action];
  const dot = action.lastIndexOf('.');
  if (dot < 1) return action;
  const thing = action.slice(0, dot).replace(/[_-]/g, ' ');
  const verb = action.slice(dot + 1);
  return `${thing.charAt(0).toUpperCase()}${thing.slice(1)} ${verbs[verb] ?? verb.replace(/_/g, ' ')}`;
}

/**
 * Who did it, in words: the person, and when they acted as someone else (the Impersonated
 * Admin), on whose behalf. Whether they did is a question of ids, never of names: two
 * accounts may carry the same name, and one account's name may read differently in two
 * places. System events have no actor.
 */
export function actorWords(event: Pick<AuditEvent, 'actor' | 'principal'>): { actor: string; onBehalfOf?: string } {
  const actor = event.actor.name || event.actor.email || 'System';
  const principal = event.principal;
  if (principal?.id && principal.id !== event.actor.id) return { actor, onBehalfOf: principal.name || principal.id };
  return { actor };
}

/** Whether the session is still running (the server says so; older answers lack `active`). */
export function isActive(session: Pick<ImpersonationSession, 'active' | 'endedAt'>): boolean {
  return session.active ?? !session.endedAt;
}
