import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * One labelled value of a description list (`<dl>`): put several in a `SimpleGrid component="dl"`.
 */
export function DetailField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}
