/**
 * How much a request may weigh before the API reads it: URL, headers, body, and time to
 * send them. OCPI requests to this CPO are small GETs, so the bounds are tight; a client
 * past them gets an OCPI envelope (414, 431, 413) instead of holding memory or a socket.
 */
import type { IncomingMessage } from 'node:http';
import { payloadTooLarge } from './api-error';

/** Longer request targets are refused (414) before any parsing. */
export const MAX_URL_LENGTH = 2048;

/** Request line plus headers; Node answers 431 past it (client-error.ts writes the envelope). */
export const MAX_HEADER_BYTES = 8 * 1024;

/** A GET body larger than this is refused (413); a smaller one is read and dropped. */
export const MAX_BODY_BYTES = 1024;

/** Time to receive the headers, and the whole request: a client trickling bytes (slowloris) is cut off. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * GET and HEAD bodies have no meaning (RFC 9110 9.3.1) and OCPI defines none. Some clients
 * send `{}` anyway, so a small body is drained and ignored; a declared larger one is refused
 * before it is read; one streamed without a length (chunked) past the bound ends the
 * connection, since its answer may already be on the way.
 */
export function limitRequestBody(req: IncomingMessage): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_BODY_BYTES) req.socket.destroy();
  });
}
