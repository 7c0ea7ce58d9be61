import { SettingsPage } from '@/features/settings/components/settings-page';

/** The Settings page: the platform's impersonation policy. */
export function SettingsRoute() {
  return <SettingsPage />;
}
