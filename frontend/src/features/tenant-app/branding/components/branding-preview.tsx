import { Box, Button, Center, Group, Image, Paper, Stack, Text } from '@mantine/core';

import { isHttpsUrl } from '@/features/tenant-app/branding/api/branding';

interface BrandingPreviewProps {
  productName: string;
  primaryColor: string;
  accentColor: string;
  logoUrl: string;
}

const hex = /^#[0-9a-fA-F]{6}$/;

/** A small mock-up of the product in the profile's colours, for the form. */
export function BrandingPreview({ productName, primaryColor, accentColor, logoUrl }: BrandingPreviewProps) {
  const primary = hex.test(primaryColor) ? primaryColor : '#868e96';
  const accent = hex.test(accentColor) ? accentColor : '#adb5bd';
  const name = productName.trim() || 'Product name';
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Preview
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }} role="img" aria-label={`Preview of ${name} in its colours`}>
        <Group bg={primary} px="md" py="sm" gap="sm" wrap="nowrap">
          <Center w={28} h={28} style={{ flex: 'none', borderRadius: 6, background: 'rgba(255,255,255,0.22)', overflow: 'hidden' }}>
            {isHttpsUrl(logoUrl) ? (
              <Image src={logoUrl} alt="" w={28} h={28} fit="contain" />
            ) : (
              <Text c="white" fw={700} size="sm">
                {name.charAt(0).toUpperCase()}
              </Text>
            )}
          </Center>
          <Text c="white" fw={700} size="sm" truncate style={{ minWidth: 0 }}>
            {name}
          </Text>
        </Group>
        <Stack gap="xs" p="md">
          <Box h={8} w="70%" bg="gray.2" style={{ borderRadius: 4 }} />
          <Box h={8} w="45%" bg="gray.2" style={{ borderRadius: 4 }} />
          <Group gap="xs" mt={4}>
            <Button size="compact-xs" color={accent} tabIndex={-1} component="span">
              Accept call
            </Button>
            <Text size="xs" c={primary} fw={600}>
              View queue
            </Text>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** Two overlapping colour dots, for a table cell. */
export function ColorPair({ primary, accent }: { primary?: string; accent?: string }) {
  const dot = { borderRadius: '50%', border: '2px solid var(--mantine-color-body)', boxShadow: '0 0 0 1px var(--mantine-color-gray-3)' };
  return (
    <Group gap={0} wrap="nowrap" aria-label={`Primary ${primary || 'none'}, accent ${accent || 'none'}`} role="img">
      <Box w={22} h={22} bg={primary} style={dot} />
      <Box w={22} h={22} ml={-6} bg={accent} style={dot} />
    </Group>
  );
}
