/** Writes every answer of the API: JSON, inside the OCPI envelope. */
import type { ServerResponse } from 'node:http';
import { ocpiEnvelope, ocpiStatusCodes } from '../ocpi/response-envelope';
import type { ApiError } from './api-error';

/** A handler's successful answer: the envelope's data plus any extra headers (pagination). */
export interface Answer {
  data: unknown;
  headers?: Readonly<Record<string, string>>;
}

function send(res: ServerResponse, httpStatus: number, body: unknown, headers: Readonly<Record<string, string>>): void {
  const json = JSON.stringify(body);
  res.writeHead(httpStatus, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    // Authenticated billing data: no shared cache may keep it.
    'Cache-Control': 'no-store',
  });
  res.end(json);
}

export function sendAnswer(res: ServerResponse, answer: Answer): void {
  send(res, 200, ocpiEnvelope(answer.data, ocpiStatusCodes.SUCCESS, 'Success'), answer.headers ?? {});
}

/** An error answer has no `data`, as in transport_and_format.md's error example. */
export function sendError(res: ServerResponse, error: ApiError): void {
  send(res, error.httpStatus, ocpiEnvelope(undefined, error.statusCode, error.message), error.headers);
}
