import type { ImpersonationMode } from '@/features/impersonation/api/impersonation';

/**
 * A start interrupted by re-authentication (`reauth_required`): what the person asked for,
 * kept in this tab's sessionStorage while the browser visits the identity provider, so the
 * dialog can come back filled in. It is read once and then forgotten.
 */
export interface PendingStart {
  tenantId: string;
  mode: ImpersonationMode;
  reason: string;
}

const key = 'regent.impersonation.pending-start';
// A sign-in takes seconds; anything older was abandoned and is not offered again.
const maxAgeMs = 30 * 60 * 1000;

/** Remembers a start that must wait for re-authentication. */
export function savePendingStart(pending: PendingStart): void {
  try {
    sessionStorage.setItem(key, JSON.stringify({ ...pending, savedAt: Date.now() }));
  } catch {
    // Storage full or disabled: the dialog comes back empty instead.
  }
}

/** Returns the pending start for `tenantId` and `mode`, if any, and forgets it either way. */
export function takePendingStart(tenantId: string, mode: ImpersonationMode): PendingStart | null {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<PendingStart> & { savedAt?: number };
    if (p.tenantId !== tenantId || p.mode !== mode || typeof p.reason !== 'string') return null;
    if (typeof p.savedAt !== 'number' || Date.now() - p.savedAt > maxAgeMs) return null;
    return { tenantId, mode, reason: p.reason };
  } catch {
    return null;
  }
}
