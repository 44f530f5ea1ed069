/**
 * Answers requests Node cannot even parse (bad request line, oversized head) with the OCPI
 * envelope too, instead of Node's bare `400 Bad Request`, so a client's error handling
 * meets one format only.
 */
import type { Duplex } from 'node:stream';
import { ocpiEnvelope, ocpiStatusCodes } from '../../ocpi/response-envelope';

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'request line and headers too large']
      : [400, 'Bad Request', 'malformed HTTP request'];
  const body = JSON.stringify(ocpiEnvelope(undefined, ocpiStatusCodes.CLIENT_ERROR, message));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
