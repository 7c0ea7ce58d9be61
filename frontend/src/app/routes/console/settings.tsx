import { ComingSoon } from '@/components/coming-soon';
import { Page } from '@/components/page';

/** The Settings page. */
export function SettingsRoute() {
  return (
    <Page title="Settings" description="Security settings, including impersonation policy.">
      <ComingSoon description="Impersonation policy and other security settings will be managed here." />
    </Page>
  );
}
