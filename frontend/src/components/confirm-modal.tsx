import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

import { MutationError } from '@/components/mutation-error';

interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  title: string;
  children: ReactNode;
  /** The confirm button's text: say what happens, e.g. "Suspend tenant". */
  confirmLabel: string;
  /** Red for destructive actions. */
  danger?: boolean;
  loading?: boolean;
  /** Why the last try was refused. */
  error?: unknown;
  onReload?: () => void;
}

/**
 * Asks before an action that is hard to undo. Cancel has the focus first, so Enter never
 * confirms by accident; Escape cancels.
 */
export function ConfirmModal({
  opened,
  onClose,
  onConfirm,
  title,
  children,
  confirmLabel,
  danger = false,
  loading = false,
  error,
  onReload,
}: ConfirmModalProps) {
  return (
    <Modal opened={opened} onClose={loading ? () => {} : onClose} title={title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        <MutationError error={error} onReload={onReload} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={loading} data-autofocus>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
