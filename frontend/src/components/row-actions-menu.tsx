import { ActionIcon, Menu } from '@mantine/core';
import { useRef, type ReactNode } from 'react';
import { Link } from 'react-router';

import { IconDotsVertical } from '@/components/icons';

/** One entry of a {@link RowActionsMenu}: a link (`to`) or an action (`onClick`). */
export interface RowAction {
  key: string;
  label: string;
  to?: string;
  onClick?: () => void;
  /** Red, for destructive actions. */
  danger?: boolean;
  /** Draws a divider above this entry. */
  dividerBefore?: boolean;
  icon?: ReactNode;
}

interface RowActionsMenuProps {
  /** The button's accessible name, e.g. "Actions for LSP Paris". */
  label: string;
  actions: RowAction[];
}

/** The ⋮ button at the end of a row, opening its actions. Nothing shows when there are none. */
export function RowActionsMenu({ label, actions }: RowActionsMenuProps) {
  const button = useRef<HTMLButtonElement>(null);
  if (actions.length === 0) return null;
  return (
    <Menu position="bottom-end" shadow="md" width={220} withinPortal>
      <Menu.Target>
        <ActionIcon ref={button} variant="subtle" color="gray" aria-label={label}>
          <IconDotsVertical size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {actions.map((a) => [
          a.dividerBefore ? <Menu.Divider key={`${a.key}-divider`} /> : null,
          a.to ? (
            <Menu.Item key={a.key} component={Link} to={a.to} leftSection={a.icon} color={a.danger ? 'red' : undefined}>
              {a.label}
            </Menu.Item>
          ) : (
            <Menu.Item
              key={a.key}
              onClick={() => {
                // The item disappears with the menu: the ⋮ button holds the focus for whatever
                // the action opens, so closing a dialog brings the keyboard back to this row.
                button.current?.focus();
                a.onClick?.();
              }}
              leftSection={a.icon}
              color={a.danger ? 'red' : undefined}
            >
              {a.label}
            </Menu.Item>
          ),
        ])}
      </Menu.Dropdown>
    </Menu>
  );
}
