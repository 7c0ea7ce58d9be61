import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';

import type { Me } from '@/lib/auth';

const homeKindLabel: Record<Me['home']['kind'], string> = {
  platform: 'Platform',
  partner: 'Partner',
  customer: 'Customer',
};

interface UserMenuProps {
  me: Me;
  onSignOut: () => void;
  signingOut: boolean;
}

/** The signed-in user's name; opens a menu with their email, home, roles and "Sign out". */
export function UserMenu({ me, onSignOut, signingOut }: UserMenuProps) {
  const { user, home, roles } = me;
  return (
    <Menu position="bottom-end" width={280} shadow="md">
      <Menu.Target>
        <UnstyledButton px="xs" py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap="xs" wrap="nowrap">
            <Avatar name={user.name} color="initials" size="sm" aria-hidden />
            <Text size="sm" fw={500} truncate>
              {user.name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as</Menu.Label>
        <Text size="sm" fw={500} px="sm">
          {user.name}
        </Text>
        <Text size="sm" c="dimmed" px="sm">
          {user.email}
        </Text>
        <Text size="sm" px="sm" pt="xs">
          {home.name} <Text span c="dimmed" size="xs">({homeKindLabel[home.kind]})</Text>
        </Text>
        {roles.length > 0 && (
          <Text size="xs" c="dimmed" px="sm" pb="xs">
            {roles.map((r) => r.name).join(', ')}
          </Text>
        )}
        <Menu.Divider />
        <Menu.Item onClick={onSignOut} disabled={signingOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
