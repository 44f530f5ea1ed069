/**
 * A bare HTTP server on loopback that records every request it gets and answers as the
 * test says: a receiver with its own routing rules, or "another host" that must never see
 * our token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface HttpRecorder {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type RecorderHandler = (req: IncomingMessage, res: ServerResponse, baseUrl: string) => void;

/** Answers 404 unless `handle` says otherwise. */
export async function startHttpRecorder(handle?: RecorderHandler): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      if (handle) return handle(req, res, baseUrl);
      res.writeHead(404).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An OCPI answer with HTTP 200 and status_code 1000. */
export function answerOcpiSuccess(res: ServerResponse, data: unknown = {}): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data, status_code: 1000, timestamp: new Date().toISOString() }));
}
