import { useCallback, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

import type { ImpersonationMode, ImpersonationTarget } from '@/features/impersonation/api/impersonation';
import { takePendingStart } from '@/features/impersonation/api/reauth-resume';
import { StartImpersonationModal, type StartRequest } from '@/features/impersonation/components/start-impersonation-modal';
import { useDialog } from '@/hooks/use-dialog';

/**
 * Starting an impersonation from a page: `start(tenant, mode)` opens the reason dialog, and
 * `dialog` renders it. Pass it as `onImpersonate` to the tenant actions menu.
 */
export function useImpersonationStarter() {
  const dialog = useDialog<StartRequest>();
  const { open } = dialog;
  const start = useCallback((tenant: ImpersonationTarget, mode: ImpersonationMode) => open({ tenant, mode }), [open]);
  const resume = useCallback((request: StartRequest) => open(request), [open]);
  return {
    start,
    resume,
    dialog: <StartImpersonationModal request={dialog.payload} opened={dialog.opened} onClose={dialog.close} formKey={dialog.key} />,
  };
}

const modes: ImpersonationMode[] = ['support', 'configure'];

/**
 * The way back from re-authentication: the sign-in returns to `/tenants/{id}?impersonate=<mode>`.
 * Once the tenant is loaded this reopens the dialog, filled in with the reason saved before
 * leaving, for the person to press Start again. The parameter and the saved reason are used
 * up at once, so a reload or Back never reopens it, and nothing starts by itself.
 */
export function useResumeAfterReauth(tenant: ImpersonationTarget | undefined, resume: (request: StartRequest) => void) {
  const [params, setParams] = useSearchParams();
  const asked = params.get('impersonate');
  const mode = modes.find((m) => m === asked);
  const done = useRef(false);

  useEffect(() => {
    if (!asked || done.current) return;
    if (mode && !tenant) return; // wait for the tenant
    done.current = true;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.delete('impersonate');
        return next;
      },
      { replace: true },
    );
    if (!mode || !tenant) return;
    const pending = takePendingStart(tenant.id, mode);
    // The server decides again on Start; this only avoids offering what the menu would not.
    if (tenant.canImpersonate && !tenant.canImpersonate[mode]) return;
    resume({ tenant, mode, reason: pending?.reason ?? '', resumed: !!pending });
  }, [asked, mode, tenant, setParams, resume]);
}
