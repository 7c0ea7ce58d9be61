import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** The answer of every list endpoint. */
export interface ListResult<T> {
  items: T[];
  total: number;
}

/** The query string every list takes, plus its own filters. */
export interface ListQuery {
  q?: string;
  page?: number;
  pageSize?: number;
  sort?: string;
  status?: string;
}

/** What every tenant-app item has: an id, and the version a PATCH must name. */
export interface Versioned {
  id: string;
  version: number;
}

/** A change to an item: the version being changed and the fields to change. */
export interface ItemPatch<P> {
  id: string;
  version: number;
  changes: P;
}

/**
 * The query and mutation hooks for one tenant-app collection under `/api/tenants/{id}/<path>`
 * (list and create on the collection; get, patch and delete on `/{itemId}`). T is the item, C the
 * create body and P the patch body. Every change refreshes that tenant's lists of the collection.
 */
export function tenantResource<T extends Versioned, C, P = Partial<C>>(path: string) {
  const base = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/${path}`;
  const item = (tenantId: string, id: string) => `${base(tenantId)}/${encodeURIComponent(id)}`;
  const keys = {
    all: (tenantId: string) => ['tenant-app', tenantId, path] as const,
    list: (tenantId: string, query: ListQuery) => ['tenant-app', tenantId, path, 'list', query] as const,
    item: (tenantId: string, id: string) => ['tenant-app', tenantId, path, 'item', id] as const,
  };

  const listOptions = (tenantId: string, query: ListQuery) =>
    queryOptions({
      queryKey: keys.list(tenantId, query),
      queryFn: ({ signal }) => api.get<ListResult<T>>(base(tenantId), { query: { ...query }, signal }),
      placeholderData: keepPreviousData,
    });

  function useInvalidate(tenantId: string) {
    const queryClient = useQueryClient();
    return () => queryClient.invalidateQueries({ queryKey: keys.all(tenantId) });
  }

  return {
    keys,
    listOptions,
    /** Fetches one item afresh (for "Reload" after a version conflict). */
    fetchItem: (tenantId: string, id: string) => api.get<T>(item(tenantId, id)),
    useList(tenantId: string, query: ListQuery) {
      return useQuery(listOptions(tenantId, query));
    },
    useCreate(tenantId: string) {
      const invalidate = useInvalidate(tenantId);
      return useMutation({
        mutationFn: (body: C) => api.post<T>(base(tenantId), body),
        onSuccess: () => invalidate(),
      });
    },
    useUpdate(tenantId: string) {
      const invalidate = useInvalidate(tenantId);
      return useMutation({
        mutationFn: ({ id, version, changes }: ItemPatch<P>) => api.patch<T>(item(tenantId, id), { ...changes, version }),
        onSuccess: () => invalidate(),
      });
    },
    useRemove(tenantId: string) {
      const invalidate = useInvalidate(tenantId);
      return useMutation({
        mutationFn: (id: string) => api.delete<void>(item(tenantId, id)),
        onSuccess: () => invalidate(),
      });
    },
  };
}
