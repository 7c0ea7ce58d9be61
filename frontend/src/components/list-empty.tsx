import { Button, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

import { IconFilterOff, IconInbox } from '@/components/icons';

interface ListEmptyProps {
  /** Plural noun, e.g. "tenants". */
  noun: string;
  /** Whether a search or filter is narrowing the list. */
  narrowed: boolean;
  onClear: () => void;
  /** What to say (and offer) when there is nothing at all yet. */
  description?: ReactNode;
  action?: ReactNode;
}

/** The empty state of a list: "no matches" with "Clear search and filters", or "nothing yet". */
export function ListEmpty({ noun, narrowed, onClear, description, action }: ListEmptyProps) {
  if (narrowed) {
    return (
      <EmptyState
        icon={<IconFilterOff size={28} />}
        withIndicatorBackground
        title={`No ${noun} match`}
        description="Try other words, or clear the search and filters."
      >
        <EmptyState.Actions>
          <Button variant="default" size="xs" onClick={onClear}>
            Clear search and filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<IconInbox size={28} />} withIndicatorBackground title={`No ${noun} yet`} description={description}>
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
