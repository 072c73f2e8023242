/**
 * Errors the API answers with: one typed HttpError carrying the contract's code, plus the
 * translation of driver errors (MongoDB, Temporal) into 503s that name what is down.
 */
import { isGrpcServiceError } from '@temporalio/client';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import type { Logger } from 'pino';

export type ErrorCode =
  | 'invalid_job'
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'name_taken'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'not_configured'
  | 'internal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError =>
  new HttpError(404, 'not_found', `${what} not found`);

export const badRequest = (message: string, details?: unknown): HttpError =>
  new HttpError(400, 'invalid_request', message, details);

/** gRPC status codes that mean "the server cannot be reached right now". */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function isTemporalDown(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current)) {
      return current.code === GRPC_UNAVAILABLE || current.code === GRPC_DEADLINE_EXCEEDED;
    }
    if (current.name === 'TransportError' || current.name === 'ConnectionError') return true;
  }
  return false;
}

/** Socket errors that reach us unwrapped; only the MongoDB driver talks over raw sockets. */
const socketErrorCodes = ['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT'];

function isMongoDown(error: unknown): boolean {
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && socketErrorCodes.includes(code)) return true;
  return (
    error instanceof MongoError &&
    ['MongoNotConnectedError', 'MongoTopologyClosedError', 'PoolClearedError'].includes(error.name)
  );
}

/** Turns any thrown value into the HttpError the client sees. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isMongoDown(error)) {
    return new HttpError(
      503,
      'unavailable',
      'MongoDB is unavailable; try again shortly',
      undefined,
      {
        cause: error,
      },
    );
  }
  if (isTemporalDown(error)) {
    return new HttpError(
      503,
      'unavailable',
      'Temporal is unavailable; try again shortly',
      undefined,
      {
        cause: error,
      },
    );
  }
  const status = clientErrorStatus(error);
  if (status === 413) {
    return new HttpError(413, 'payload_too_large', 'The request body is too large', undefined, {
      cause: error,
    });
  }
  if (status !== undefined) {
    const message =
      error instanceof SyntaxError
        ? `The request body is not valid JSON: ${error.message}`
        : error instanceof URIError
          ? `The URL is not valid: ${error.message}`
          : 'The request could not be read';
    return new HttpError(400, 'invalid_request', message, undefined, { cause: error });
  }
  return new HttpError(500, 'internal', 'Internal error', undefined, { cause: error });
}

/**
 * body-parser and the router mark errors caused by the request with an HTTP status (400 bad
 * JSON or bad URL encoding, 413 too big, 415 charset…).
 */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const http = toHttpError(error);
    if (http.status === 500)
      logger.error({ err: error, method: req.method, url: req.originalUrl }, http.message);
    else if (http.status >= 500) logger.warn({ err: error }, http.message);
    const body: { code: string; message: string; details?: unknown } = {
      code: http.code,
      message: http.message,
    };
    if (http.details !== undefined) body.details = http.details;
    res.status(http.status).json({ error: body });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};
