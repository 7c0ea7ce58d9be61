import { clientErrorCodes, isApiError } from '@/lib/api-error';

/** What to tell a person about an error: a title and a sentence, never internals. */
export interface FriendlyError {
  title: string;
  message: string;
  /** The server's request id, for a support ticket. */
  reference?: string;
}

// Browsers word a failed lazy chunk differently; all mean the deployed files changed under us.
const staleChunk = /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i;

/**
 * Turns any thrown value into words for the user. Only the server's problem documents are
 * trusted to be written for people (and only below 500); everything else gets a generic text,
 * so stack traces, SQL or library messages never reach the screen.
 */
export function friendlyError(error: unknown): FriendlyError {
  if (isApiError(error)) {
    if (error.code === clientErrorCodes.network) {
      return { title: 'Regent could not be reached', message: 'Check your connection and try again.' };
    }
    if (error.status >= 400 && error.status < 500 && error.code !== clientErrorCodes.unexpected) {
      return { title: error.title, message: error.detail ?? '', reference: error.requestId };
    }
    return {
      title: 'Something went wrong on our side',
      message: 'Regent could not complete the request. Try again in a moment.',
      reference: error.requestId,
    };
  }
  if (error instanceof Error && staleChunk.test(error.message)) {
    return {
      title: 'Regent has been updated',
      message: 'Part of this page could not be loaded, probably because a new version was released. Reload the page.',
    };
  }
  return {
    title: 'Something went wrong',
    message: 'An unexpected error stopped this page. Try again, or reload the page.',
  };
}
