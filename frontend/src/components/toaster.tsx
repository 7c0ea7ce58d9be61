import { Notification, Stack } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/** A short confirmation that something worked, e.g. "Tenant LSP Lyon created". */
export interface Toast {
  message: string;
  title?: string;
  color?: string;
}

interface ShownToast extends Toast {
  id: number;
}

const ToastContext = createContext<(toast: Toast) => void>(() => {});

/** How long a toast stays, in milliseconds. */
const lifetime = 5000;

/**
 * Shows toasts in the bottom-right corner, read out politely by screen readers. A toast goes
 * after a few seconds or when closed. (A stand-in for @mantine/notifications, which has no
 * release matching our Mantine.)
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);

  const show = useCallback(
    (toast: Toast) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-2), { ...toast, id }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), lifetime),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => clearTimeout(t));
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <Stack aria-live="polite" gap="xs" pos="fixed" bottom={16} right={16} maw={380} w="calc(100% - 32px)" style={{ zIndex: 1100, pointerEvents: 'none' }}>
        {toasts.map((t) => (
          <Notification
            key={t.id}
            title={t.title}
            color={t.color ?? 'teal'}
            onClose={() => dismiss(t.id)}
            closeButtonProps={{ 'aria-label': 'Dismiss' }}
            withBorder
            style={{ pointerEvents: 'auto' }}
          >
            {t.message}
          </Notification>
        ))}
      </Stack>
    </ToastContext.Provider>
  );
}

/** Returns `toast({message})`, showing a short confirmation. */
export function useToast(): (toast: Toast) => void {
  return useContext(ToastContext);
}
