import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { createAppRouter } from '@/app/router';

/**
 * Renders the whole app (real providers, real browser router) at `url`, the way a deep link
 * would open it. Stub `fetch` first (see stubFetch).
 */
export function renderApp(url = '/') {
  window.history.replaceState(null, '', url);
  const router = createAppRouter();
  onTestFinished(() => router.dispose());
  const user = userEvent.setup();
  const view = render(
    <AppProvider env="test">
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { user, router, ...view };
}
