import '@testing-library/jest-dom/vitest';

import { cleanup, configure } from '@testing-library/react';

import { queryClient } from '@/lib/query-client';

// Pages load lazily: the first render of a page waits for its module, which in a cold test run
// (modules transformed on first import) can take longer than Testing Library's default second.
configure({ asyncUtilTimeout: 10_000 });

// Browser APIs Mantine uses that jsdom does not implement.
const { getComputedStyle } = window;
window.getComputedStyle = (element: Element) => getComputedStyle(element);
Element.prototype.scrollIntoView = () => {};
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub;

afterEach(() => {
  cleanup();
  // The app's query client is a singleton (the API client reads the CSRF token from it).
  queryClient.clear();
  window.history.replaceState(null, '', '/');
});
