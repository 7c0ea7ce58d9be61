import { Component, type ErrorInfo, type ReactNode } from 'react';

import { FullPageError } from '@/components/full-page-error';

interface State {
  error: unknown;
}

/**
 * The last line of defence, around everything (the router has its own per-route boundaries).
 * It shows a friendly message and logs the real error to the console for developers.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error ?? new Error('unknown error') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Unhandled error', error, info.componentStack);
  }

  override render() {
    if (this.state.error) return <FullPageError error={this.state.error} />;
    return this.props.children;
  }
}
