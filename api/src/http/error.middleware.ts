import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../logger.ts';
import { HttpError, STATUS_TITLES } from './http-error.ts';

/** Body of an `application/problem+json` answer (RFC 9457) with LandWatch's extension members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [key: string]: unknown;
}

/** Converts a zod error on request input into a 400 naming each field. */
export function fromZodError(error: ZodError, where: 'query' | 'body' | 'params'): HttpError {
  const errors = error.issues.map((i) => ({ field: [where, ...i.path].join('.'), message: i.message }));
  return HttpError.badRequest('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    field: errors[0]?.field,
    errors,
  });
}

/** Answers 404 problem documents for unknown /api routes (instead of Express's HTML page). */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/**
 * The error middleware: HttpError → its status and details; body-parser errors → 400/413; anything
 * else is logged in full and answered with a generic 500 (internals never leak to the client).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let problem: HttpError;
    if (error instanceof HttpError) problem = error;
    else if (error instanceof ZodError) problem = fromZodError(error, 'body');
    else if (isBodyParserError(error)) {
      problem = new HttpError(error.status, error.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_BODY', error.message);
    } else {
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
      problem = new HttpError(500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
    }
    const body: ProblemDocument = {
      type: `https://landwatch.dev/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
      title: STATUS_TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.message,
      code: problem.code,
      instance: req.originalUrl,
      ...problem.details,
    };
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
  };
}

function isBodyParserError(error: unknown): error is { status: number; message: string; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    'status' in error &&
    typeof (error as { status: unknown }).status === 'number' &&
    (error as { status: number }).status >= 400 &&
    (error as { status: number }).status < 500
  );
}
