import { useCallback, useRef, useState } from 'react';

/**
 * The state of a modal that acts on one thing (payload). Closing keeps the payload, so the
 * modal's content stays put while it fades out; each opening gets a new `key`, so a form inside
 * starts afresh.
 *
 * Closing puts the focus back on what had it when the dialog opened (the button, or the ⋮
 * menu's button), if it is still on the page. Mantine does this only for a modal that was
 * already mounted when it opened; ours often mount open (a new `key`, or a payload to show),
 * and keyboard users were left at the top of the page.
 */
export function useDialog<T>() {
  const [state, setState] = useState<{ opened: boolean; payload: T | null; key: number }>({ opened: false, payload: null, key: 0 });
  const returnTo = useRef<HTMLElement | null>(null);
  const open = useCallback((payload: T) => {
    returnTo.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    setState((s) => ({ opened: true, payload, key: s.key + 1 }));
  }, []);
  const close = useCallback(() => {
    setState((s) => ({ ...s, opened: false }));
    const target = returnTo.current;
    returnTo.current = null;
    // After the closing render, when the modal's focus trap has let go.
    if (target) window.setTimeout(() => target.isConnected && target.focus({ preventScroll: true }), 0);
  }, []);
  return { ...state, open, close };
}
