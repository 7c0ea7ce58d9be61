import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { theme } from '@/app/theme';
import { ErrorBoundary } from '@/components/error-boundary';
import { ToastProvider } from '@/components/toaster';
import { queryClient } from '@/lib/query-client';

interface AppProviderProps {
  children: ReactNode;
  /** `test` turns off Mantine's transitions and portals, for jsdom. */
  env?: 'default' | 'test';
}

/** Everything the app runs inside: theme, data cache, toasts, and the last-resort error boundary. */
export function AppProvider({ children, env = 'default' }: AppProviderProps) {
  return (
    <MantineProvider theme={theme} env={env}>
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <ToastProvider>{children}</ToastProvider>
        </QueryClientProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}
