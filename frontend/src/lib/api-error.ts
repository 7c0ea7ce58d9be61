import type { components } from '@/lib/api-schema';

/** An RFC 9457 problem document as Regent's API writes it. */
export type Problem = components['schemas']['Problem'];

/** Codes the client itself assigns when the server's answer is not a problem document. */
export const clientErrorCodes = {
  /** The request never got an answer (offline, server down, DNS). */
  network: 'network_error',
  /** The server answered with an error that is not a problem document (a proxy page, say). */
  unexpected: 'unexpected_response',
} as const;

// Codes for bare HTTP errors, matching the server's own mapping, so that callers can branch on
// `code` whether the error came from Regent or from something in front of it.
const codeForStatus: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

/**
 * A failed API call. Callers branch on `code` (and `status`), never on `title` or `detail`,
 * which are written for people and may change.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** The machine-readable reason, e.g. `invalid`, `forbidden`, `impersonation_disabled`. */
  readonly code: string;
  /** A short, human-readable summary. */
  readonly title: string;
  /** A human-readable explanation of this occurrence, if the server gave one. */
  readonly detail?: string;
  /** For invalid input: field name to message. Empty otherwise. */
  readonly errors: Record<string, string>;
  /** The server's request id, for support. */
  readonly requestId?: string;
  /** The whole problem document, for extension members such as `loginUrl`. */
  readonly problem?: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    errors?: Record<string, string>;
    requestId?: string;
    problem?: Record<string, unknown>;
  }) {
    super(init.detail || init.title);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? {};
    this.requestId = init.requestId;
    this.problem = init.problem;
  }

  /** Builds the error for a response whose status is not 2xx. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const requestId = res.headers.get('X-Request-Id') ?? undefined;
    const type = res.headers.get('Content-Type') ?? '';
    if (type.includes('json')) {
      try {
        const body: unknown = await res.json();
        if (isProblem(body)) {
          return new ApiError({
            status: res.status,
            code: body.code,
            title: body.title,
            detail: body.detail,
            errors: body.errors,
            requestId: body.requestId ?? requestId,
            problem: body as Record<string, unknown>,
          });
        }
      } catch {
        // Not JSON after all: fall through to the generic error.
      }
    }
    return new ApiError({
      status: res.status,
      code: codeForStatus[res.status] ?? (res.status >= 500 ? 'internal' : clientErrorCodes.unexpected),
      title: res.statusText || 'Request failed',
      requestId,
    });
  }

  /** The error for a request that got no answer at all. */
  static network(): ApiError {
    return new ApiError({
      status: 0,
      code: clientErrorCodes.network,
      title: 'Regent could not be reached',
      detail: 'Check your connection and try again.',
    });
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && typeof b.title === 'string';
}

/** Reports whether err is an ApiError, optionally with the given code. */
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** Reports whether err means "there is no valid session": the caller must sign in again. */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}
