import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** The page size of every list unless the URL says otherwise. */
export const defaultPageSize = 25;
/** The page sizes offered; the server caps at 100. */
export const pageSizes = [25, 50, 100] as const;

type ParamValue = string | number | null | undefined;

function positiveInt(raw: string | null, fallback: number): number {
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

interface Options {
  /** The sort the server applies when none is asked for; it is left out of the URL. */
  defaultSort?: string;
}

/**
 * A list's search, filters, sort and paging, held in the URL's query string so that a list can
 * be bookmarked and shared and the back button steps through what the user did. Defaults (page
 * 1, 25 rows, the default sort, empty values) are left out of the URL. Changing the search, a
 * filter or the page size goes back to page 1.
 *
 * `filterNames` lists the list's own filters, e.g. `['kind', 'status']`.
 */
export function useListParams<F extends string = never>(filterNames: readonly F[] = [], options: Options = {}) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { defaultSort } = options;

  const q = searchParams.get('q') ?? '';
  const page = positiveInt(searchParams.get('page'), 1);
  const pageSize = Math.min(positiveInt(searchParams.get('pageSize'), defaultPageSize), 100);
  const sort = searchParams.get('sort') || defaultSort;
  // One string holding every filter value keeps `filters` the same object between renders.
  const filterKey = JSON.stringify(filterNames.map((name) => [name, searchParams.get(name) ?? '']));
  const filters = useMemo(() => {
    const out = {} as Record<F, string | undefined>;
    for (const [name, value] of JSON.parse(filterKey) as [F, string][]) out[name] = value || undefined;
    return out;
  }, [filterKey]);

  const update = useCallback(
    (changes: Record<string, ParamValue>, { resetPage = true, replace = false } = {}) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(changes)) {
            const isDefault =
              value === undefined ||
              value === null ||
              value === '' ||
              (key === 'page' && value === 1) ||
              (key === 'pageSize' && value === defaultPageSize) ||
              (key === 'sort' && value === defaultSort);
            if (isDefault) next.delete(key);
            else next.set(key, String(value));
          }
          if (resetPage && !('page' in changes)) next.delete('page');
          return next;
        },
        { replace },
      );
    },
    [setSearchParams, defaultSort],
  );

  return {
    q,
    page,
    pageSize,
    sort,
    filters,
    /**
     * Sets the search. Refining a search replaces the history entry, so the back button goes to
     * the list before searching rather than through every word typed.
     */
    setQ: useCallback((value: string) => update({ q: value }, { replace: q !== '' && value !== '' }), [update, q]),
    setPage: useCallback((value: number) => update({ page: value }, { resetPage: false }), [update]),
    /** Moves to an existing page without a history entry (after the last row of a page went). */
    clampPage: useCallback((value: number) => update({ page: value }, { resetPage: false, replace: true }), [update]),
    setPageSize: useCallback((value: number) => update({ pageSize: value }), [update]),
    setSort: useCallback((value: string) => update({ sort: value }), [update]),
    setFilter: useCallback((name: F, value: string | null | undefined) => update({ [name]: value }), [update]),
    clearAll: useCallback(
      () => update(Object.fromEntries(['q', ...(JSON.parse(filterKey) as [string][]).map(([k]) => k)].map((k) => [k, undefined]))),
      [update, filterKey],
    ),
    /** Whether a search or filter narrows the list (for "no results" versus "nothing yet"). */
    narrowed: q !== '' || Object.values(filters).some(Boolean),
  };
}

/** What {@link useListParams} returns. */
export type ListParams<F extends string = never> = ReturnType<typeof useListParams<F>>;
