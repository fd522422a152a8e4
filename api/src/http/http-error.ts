/**
 * The one error type answered at the HTTP edge as RFC 9457 `application/problem+json`.
 * Bad input names the file, row and field where known, so a user can find and fix it.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable reason code, e.g. `VALIDATION_FAILED`, `NOT_FOUND`. */
    readonly code: string,
    message: string,
    readonly details: {
      file?: string;
      row?: number;
      field?: string;
      errors?: Array<{ field?: string; message: string; row?: number }>;
      [key: string]: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  static badRequest(code: string, message: string, details: HttpError['details'] = {}): HttpError {
    return new HttpError(400, code, message, details);
  }

  static notFound(what: string): HttpError {
    return new HttpError(404, 'NOT_FOUND', `${what} not found`);
  }
}

/** Titles per status, so every problem document carries a human-readable title. */
export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
