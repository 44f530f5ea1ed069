/** Writes every answer of the API: JSON, inside the OCPI envelope. */
import type { ServerResponse } from 'node:http';
import type { Party } from '../../ocpi/party';
import { ocpiEnvelope, ocpiStatusCodes } from '../../ocpi/response-envelope';
import type { ApiError } from './api-error';

/**
 * JSON text sent as is in the envelope's `data`. Stored CDRs come out of Postgres as JSON
 * text; parsing them only to serialize them again would be most of the API's own work.
 * Only text that is known to be valid JSON (Postgres jsonb output) may be wrapped.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A handler's successful answer: the envelope's data plus any extra headers (pagination). */
export interface Answer {
  data: unknown;
  headers?: Readonly<Record<string, string>>;
  /**
   * The CPO party the answer speaks for, when the handler knows it better than the request
   * does (the party of the CDR found by id): OCPI 2.2.1 routes send it as OCPI-from-*.
   */
  sender?: Party;
}

/** Headers the server adds to every answer of a route, errors included (OCPI 2.2.1 message ids, routing). */
export type AnswerHeaders = Readonly<Record<string, string>>;

function send(res: ServerResponse, httpStatus: number, json: string, headers: Readonly<Record<string, string>>): void {
  res.writeHead(httpStatus, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    // Authenticated billing data: no shared cache may keep it.
    'Cache-Control': 'no-store',
  });
  res.end(json);
}

export function sendAnswer(res: ServerResponse, answer: Answer, routeHeaders: AnswerHeaders = {}): void {
  const headers = { ...routeHeaders, ...answer.headers };
  if (!(answer.data instanceof JsonText)) {
    return send(res, 200, JSON.stringify(ocpiEnvelope(answer.data, ocpiStatusCodes.SUCCESS, 'Success')), headers);
  }
  // `data` first, as ocpiEnvelope writes it, then the rest of the envelope.
  const rest = JSON.stringify(ocpiEnvelope(undefined, ocpiStatusCodes.SUCCESS, 'Success'));
  send(res, 200, `{"data":${answer.data.text},${rest.slice(1)}`, headers);
}

/** An error answer has no `data`, as in transport_and_format.md's error example. */
export function sendError(res: ServerResponse, error: ApiError, routeHeaders: AnswerHeaders = {}): void {
  const headers = { ...routeHeaders, ...error.headers };
  send(res, error.httpStatus, JSON.stringify(ocpiEnvelope(undefined, error.statusCode, error.message)), headers);
}
