/**
 * Every answer other than success, as one error type: handlers throw it and the server
 * turns it into an OCPI envelope. Callers branch on `httpStatus` / `statusCode`, never on
 * the message, which is for the human reading the client's logs.
 */
import { ocpiStatusCodes } from '../../ocpi/response-envelope';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status of the answer. */
    readonly httpStatus: number,
    /** The OCPI status_code of the envelope (status_codes.md). */
    readonly statusCode: number,
    message: string,
    /** Extra response headers (Allow, WWW-Authenticate, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A query or path parameter breaks its rule: the message names the parameter and the rule. */
export const invalidParameter = (message: string) => new ApiError(400, ocpiStatusCodes.INVALID_OR_MISSING_PARAMETERS, message);

export const unauthorized = () =>
  new ApiError(401, ocpiStatusCodes.CLIENT_ERROR, 'unauthorized: send the header Authorization: Token <token>', {
    'WWW-Authenticate': 'Token',
  });

export const notFound = (message: string) => new ApiError(404, ocpiStatusCodes.CLIENT_ERROR, message);

export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ApiError(405, ocpiStatusCodes.CLIENT_ERROR, `method ${method} not allowed here (allowed: ${allowed.join(', ')})`, {
    Allow: allowed.join(', '),
  });

export const uriTooLong = (max: number) => new ApiError(414, ocpiStatusCodes.CLIENT_ERROR, `request URL longer than ${max} characters`);

// The rest of the body is not read: closing the connection is the only way to refuse it.
export const payloadTooLarge = (max: number) =>
  new ApiError(413, ocpiStatusCodes.CLIENT_ERROR, `request body larger than ${max} bytes (a GET takes no body)`, {
    Connection: 'close',
  });

/**
 * Status 2000, not 3000: OCPI's 2xxx range is "the client did something wrong", and sending
 * faster than agreed is the client's doing; the server is fine. Retry-After says when to resume.
 */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, ocpiStatusCodes.CLIENT_ERROR, `too many requests: retry after ${retryAfterSeconds} s`, {
    'Retry-After': String(retryAfterSeconds),
  });

export const serviceUnavailable = (message: string) => new ApiError(503, ocpiStatusCodes.SERVER_ERROR, message);
