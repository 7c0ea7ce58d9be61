import { AppProvider } from '@/app/provider';
import { AppRouter } from '@/app/router';

/** The whole single-page app. */
export function App() {
  return (
    <AppProvider>
      <AppRouter />
    </AppProvider>
  );
}
