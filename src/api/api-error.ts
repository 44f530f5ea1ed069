/**
 * Every answer other than success, as one error type: handlers throw it and the server
 * turns it into an OCPI envelope. Callers branch on `httpStatus` / `statusCode`, never on
 * the message, which is for the human reading the client's logs.
 */
import { ocpiStatusCodes } from '../ocpi/response-envelope';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status of the answer. */
    readonly httpStatus: number,
    /** The OCPI status_code of the envelope (status_codes.md). */
    readonly statusCode: number,
    message: string,
    /** Extra response headers (Allow, WWW-Authenticate). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A query or path parameter breaks its rule: the message names the parameter and the rule. */
export const invalidParameter = (message: string) =>
  new ApiError(400, ocpiStatusCodes.INVALID_OR_MISSING_PARAMETERS, message);

export const unauthorized = () =>
  new ApiError(401, ocpiStatusCodes.CLIENT_ERROR, 'unauthorized: send the header Authorization: Token <token>', {
    'WWW-Authenticate': 'Token',
  });

export const notFound = (message: string) => new ApiError(404, ocpiStatusCodes.CLIENT_ERROR, message);

export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ApiError(405, ocpiStatusCodes.CLIENT_ERROR, `method ${method} not allowed here (allowed: ${allowed.join(', ')})`, {
    Allow: allowed.join(', '),
  });

export const uriTooLong = (max: number) =>
  new ApiError(414, ocpiStatusCodes.CLIENT_ERROR, `request URL longer than ${max} characters`);

export const serviceUnavailable = (message: string) => new ApiError(503, ocpiStatusCodes.SERVER_ERROR, message);
