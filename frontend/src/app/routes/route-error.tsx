import { useEffect } from 'react';
import { useRouteError } from 'react-router';

import { ErrorPanel } from '@/components/error-panel';
import { FullPageError } from '@/components/full-page-error';

/**
 * The router's error boundary. It shows a friendly message (see friendlyError) and logs the
 * real error for developers; `fullPage` is for errors outside the console shell.
 */
export function RouteError({ fullPage = false }: { fullPage?: boolean }) {
  const error = useRouteError();
  useEffect(() => {
    console.error('Route error', error);
  }, [error]);
  return fullPage ? <FullPageError error={error} /> : <ErrorPanel error={error} />;
}
