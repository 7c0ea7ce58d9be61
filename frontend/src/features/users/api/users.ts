import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api-schema';
import type { ListResult } from '@/lib/tenant-resource';

/** A console user (platform or partner person). */
export type User = components['schemas']['User'];
/** A built-in role the caller may give to console users. */
export type Role = components['schemas']['Role'];
/** A partner, as a possible home for a console user. */
export type Partner = components['schemas']['Tenant'];
/** The list's query: q, status, homeId, sort, page, pageSize. */
export type UserListQuery = NonNullable<operations['listUsers']['parameters']['query']>;
/** The body of `POST /api/users`. */
export type UserInvite = operations['inviteUser']['requestBody']['content']['application/json'];
/** The body of `PATCH /api/users/{id}`. */
export type UserPatch = NonNullable<components['requestBodies']['UserPatch']['content']['application/json']> & { version: number };

/** Query keys: every users query starts with `users`. */
export const userKeys = {
  all: ['users'] as const,
  list: (query: UserListQuery) => ['users', 'list', query] as const,
  detail: (id: string) => ['users', 'detail', id] as const,
  roles: ['users', 'console-roles'] as const,
  partners: ['users', 'partner-homes'] as const,
};

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

/** A page of console users. */
export function useUsers(query: UserListQuery) {
  return useQuery({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => api.get<ListResult<User>>('/api/users', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Query options for one console user (for "Reload" after a conflict). */
export const userQueryOptions = (id: string) =>
  queryOptions({ queryKey: userKeys.detail(id), queryFn: ({ signal }) => api.get<User>(userPath(id), { signal }) });

/** The built-in roles the caller may give (users:manage), each with its home kind. */
export function useConsoleRoles(enabled = true) {
  return useQuery({
    queryKey: userKeys.roles,
    queryFn: ({ signal }) => api.get<ListResult<Role>>('/api/roles', { signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** The partners in reach (up to 100): homes for new users, and the home filter. */
export function usePartnerHomes(enabled = true) {
  return useQuery({
    queryKey: userKeys.partners,
    queryFn: ({ signal }) =>
      api.get<ListResult<Partner>>('/api/tenants', { query: { kind: 'partner', pageSize: 100, sort: 'name' }, signal }),
    select: (data) => data.items,
    staleTime: 60_000,
    enabled,
  });
}

/** Invites a console user by email. */
export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserInvite) => api.post<User>('/api/users', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Changes a console user's name, roles or status; the body names the version being changed. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UserPatch & { id: string }) => api.patch<User>(userPath(id), body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
