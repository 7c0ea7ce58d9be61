import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ConfirmModal } from '@/components/confirm-modal';
import { useToast } from '@/components/toaster';
import { useUpdateUser, userQueryOptions, type User } from '@/features/users/api/users';
import { useReload } from '@/hooks/use-reload';

/** Asks before deactivating (or reactivating) a console user, then PATCHes the status. */
export function UserStatusModal({ user: shown, opened, onClose }: { user: User | null; opened: boolean; onClose: () => void }) {
  const [latest, setLatest] = useState<User | null>(null);
  const user = latest && latest.id === shown?.id ? latest : shown;
  const update = useUpdateUser();
  const toast = useToast();
  const queryClient = useQueryClient();
  const reload = useReload(
    () => queryClient.fetchQuery({ ...userQueryOptions(user!.id), staleTime: 0 }),
    (u) => {
      setLatest(u);
      update.reset();
    },
  );
  if (!user) return null;
  const deactivating = user.status !== 'deactivated';

  return (
    <ConfirmModal
      opened={opened}
      onClose={onClose}
      title={deactivating ? `Deactivate ${user.name}?` : `Reactivate ${user.name}?`}
      confirmLabel={deactivating ? 'Deactivate user' : 'Reactivate user'}
      danger={deactivating}
      loading={update.isPending}
      error={reload.error ?? update.error}
      onReload={() => void reload.reload()}
      onConfirm={() =>
        update.mutate(
          { id: user.id, version: user.version, status: deactivating ? 'deactivated' : 'active' },
          {
            onSuccess: (u) => {
              toast({ message: `${u.name} is ${u.status === 'deactivated' ? 'deactivated' : 'active again'}.` });
              onClose();
            },
          },
        )
      }
    >
      {deactivating
        ? `${user.name} (${user.email}) will no longer be able to sign in. Their history is kept, and you can reactivate them later.`
        : `${user.name} (${user.email}) will be able to sign in again with their current roles.`}
    </ConfirmModal>
  );
}
