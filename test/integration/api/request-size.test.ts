/**
 * How much a request may weigh: headers up to 8 KiB (431 past it), no GET body over
 * 1 KiB (413 when declared, connection cut when streamed), each answered with the OCPI
 * envelope where an answer is still possible, and the service unharmed afterwards.
 */
import net from 'node:net';
import { CDRS_PATH } from '../../../src/api/paths';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../../../src/api/transport/request-limits';
import { ocpiGet, PULL_TOKEN, startTestApi, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

/** Writes `request` on a fresh socket and returns all the server sent before closing. */
function rawExchange(request: string | Buffer[]): Promise<{ text: string; closedByServer: boolean }> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      for (const part of Array.isArray(request) ? request : [Buffer.from(request)]) {
        if (!socket.destroyed) socket.write(part);
      }
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve({ text, closedByServer: true }));
    // The server may reset a connection it refuses while the client still writes.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ text, closedByServer: true }) : reject(error),
    );
  });
}

const envelopeOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { status_code: number };

test('headers larger than 8 KiB are answered 431 with the envelope', async () => {
  const { text } = await rawExchange(
    `GET ${CDRS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${PULL_TOKEN}\r\nX-Padding: ${'p'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`,
  );
  expect(text).toMatch(/^HTTP\/1\.1 431 /);
  expect(envelopeOf(text).status_code).toBe(2000);
});

test('headers just under the bound are served', async () => {
  const answer = await ocpiGet(`${api.url}${CDRS_PATH}`, PULL_TOKEN, { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES - 1024) });
  expect(answer.status).toBe(200);
});

test('a GET declaring a body over 1 KiB is answered 413 with the envelope, and the connection closed', async () => {
  const body = 'x'.repeat(MAX_BODY_BYTES + 1);
  const { text, closedByServer } = await rawExchange(
    `GET ${CDRS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${PULL_TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  expect(text).toMatch(/^HTTP\/1\.1 413 /);
  expect(text).toMatch(/\r\nConnection: close\r\n/i);
  expect(envelopeOf(text).status_code).toBe(2000);
  expect(closedByServer).toBe(true);
});

test('a GET body of up to 1 KiB is drained and ignored', async () => {
  const body = JSON.stringify({ limit: 0, padding: 'x'.repeat(MAX_BODY_BYTES - 40) });
  const { text } = await rawExchange(
    `GET ${CDRS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${PULL_TOKEN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  expect(text).toMatch(/^HTTP\/1\.1 200 /);
});

test('a chunked GET body streaming past 1 KiB has its connection cut, and the service goes on', async () => {
  const head = `GET ${CDRS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${PULL_TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunk = `400\r\n${'y'.repeat(0x400)}\r\n`;
  const { closedByServer } = await rawExchange([Buffer.from(head), ...Array(64).fill(Buffer.from(chunk))]);
  expect(closedByServer).toBe(true);
  expect((await ocpiGet(`${api.url}/health`, null)).status).toBe(200);
});
