/**
 * OCPI 2.2.1 unique message ids (transport_and_format.asciidoc, "Unique message IDs"): the
 * answer to a request carries the request's X-Request-ID and X-Correlation-ID, so a hub
 * and we can find one exchange in each other's logs. Every 2.2.1 request must send both;
 * one that does not still gets an answer, with a fresh UUID in place of the missing id,
 * as "every response SHALL contain" them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Echoed when it reads as one id: printable ASCII without spaces, at most 255 characters
// (a UUID, the advised form, has 36). Two headers of one name arrive joined by ", " and
// are no single id; a fresh one replaces them rather than refusing a request over a log id.
const ECHOABLE_ID_RE = /^[\x21-\x7E]{1,255}$/;

const echoable = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' && ECHOABLE_ID_RE.test(value) ? value : undefined;

export function messageIdHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return {
    'X-Request-ID': echoable(headers['x-request-id']) ?? randomUUID(),
    'X-Correlation-ID': echoable(headers['x-correlation-id']) ?? randomUUID(),
  };
}
