import { useState } from 'react';

/**
 * "Reload" after a version conflict: fetches the record's latest version and hands it to
 * `apply` (which resets the form), tracking progress and failure.
 */
export function useReload<T>(fetchLatest: () => Promise<T>, apply: (latest: T) => void) {
  const [reloading, setReloading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reload = async () => {
    setReloading(true);
    setError(null);
    try {
      apply(await fetchLatest());
    } catch (err) {
      setError(err);
    } finally {
      setReloading(false);
    }
  };
  return { reload, reloading, error };
}
