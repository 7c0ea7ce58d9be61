import { UsersPage } from '@/features/users/components/users-page';

/** The Users page: console users (platform and partner people). */
export function UsersRoute() {
  return <UsersPage />;
}
