/**
 * Full page loads, for the server's own pages (sign-in). They sit behind this object so tests
 * can observe them: jsdom cannot navigate, and `window.location` cannot be stubbed.
 */
export const documentNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};
