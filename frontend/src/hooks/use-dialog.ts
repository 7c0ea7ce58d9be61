import { useCallback, useState } from 'react';

/**
 * The state of a modal that acts on one thing (payload). Closing keeps the payload, so the
 * modal's content stays put while it fades out; each opening gets a new `key`, so a form inside
 * starts afresh.
 */
export function useDialog<T>() {
  const [state, setState] = useState<{ opened: boolean; payload: T | null; key: number }>({ opened: false, payload: null, key: 0 });
  const open = useCallback((payload: T) => setState((s) => ({ opened: true, payload, key: s.key + 1 })), []);
  const close = useCallback(() => setState((s) => ({ ...s, opened: false })), []);
  return { ...state, open, close };
}
