import { useLocalStorage } from '@mantine/hooks';

/** How the impersonation bar shows: a band, a band with the session's details, or one small button. */
export type BarView = 'standard' | 'detailed' | 'minimised';

const views: BarView[] = ['standard', 'detailed', 'minimised'];

/**
 * The bar's view, kept in localStorage so it stays as the person left it across pages, reloads
 * and tabs. Read on the first render, so a minimised bar does not flash open.
 */
export function useBarView() {
  return useLocalStorage<BarView>({
    key: 'regent.impersonation-bar.view',
    defaultValue: 'standard',
    getInitialValueInEffect: false,
    serialize: (v) => v,
    deserialize: (v) => (views.includes(v as BarView) ? (v as BarView) : 'standard'),
  });
}
