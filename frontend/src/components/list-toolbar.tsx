import { Group } from '@mantine/core';
import type { ReactNode } from 'react';

/** The row above a list: search first, then filters; wraps on narrow screens. */
export function ListToolbar({ children }: { children: ReactNode }) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search">
      {children}
    </Group>
  );
}
