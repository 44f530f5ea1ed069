/**
 * Intake for CPO backends not written in TypeScript: `POST /sessions/ended` with a
 * SessionEnded JSON body hands one ended session in, exactly as `startCdr` does, and
 * answers with its workflow id. Idempotent on the session: a repeat answers 200 with the
 * same ids. It listens apart from the GIREVE-facing API (its own port and tokens) so the
 * write path never faces the public hub.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidSessionEndedError } from '../cdr/session-ended';
import type { StartedCdr } from '../client/start-cdr';

export const INTAKE_PATH = '/sessions/ended';
const MAX_BODY_BYTES = 1_000_000;

export interface IntakeServerOptions {
  tokens: readonly string[];
  /** Hands one session in; throws InvalidSessionEndedError for a bad one. */
  startSession: (sessionEnded: unknown) => Promise<StartedCdr>;
  logError?: (error: unknown) => void;
}

class IntakeError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly problems?: string[],
  ) {
    super(message);
  }
}

export function createIntakeServer(options: IntakeServerOptions): http.Server {
  const digests = options.tokens.map(digest);
  const isAuthorized = (header: string | undefined) => {
    const match = /^(?:Bearer|Token)\s+(\S+)$/i.exec(header ?? '');
    if (!match) return false;
    const presented = digest(match[1]!);
    // Compare with every token, always: the time taken says nothing about which one matched.
    return digests.reduce((found, known) => timingSafeEqual(known, presented) || found, false);
  };

  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return { status: 200, body: { status: 'alive' } };
    if (path !== INTAKE_PATH) throw new IntakeError(404, `unknown route: ${path?.slice(0, 100)}`);
    if (req.method !== 'POST') throw new IntakeError(405, `${req.method} not allowed: use POST`);
    if (!isAuthorized(req.headers.authorization)) throw new IntakeError(401, 'missing or unknown token');
    const body = await readJsonBody(req);
    try {
      const started = await options.startSession(body);
      return { status: started.alreadyStarted ? 200 : 201, body: started };
    } catch (error) {
      if (error instanceof InvalidSessionEndedError) throw new IntakeError(400, 'invalid SessionEnded', error.problems);
      throw error;
    }
  }

  return http.createServer((req, res) => {
    handle(req)
      .then(({ status, body }) => send(res, status, body))
      .catch((error: unknown) => {
        if (error instanceof IntakeError) {
          if (error.httpStatus === 405) res.setHeader('allow', 'POST');
          return send(res, error.httpStatus, { error: error.message, ...(error.problems ? { problems: error.problems } : {}) });
        }
        (options.logError ?? console.error)(error);
        // The session was not handed in: the backend must retry (it is idempotent).
        send(res, 503, { error: 'could not hand the session in now; retry' });
      });
  });
}

export async function startIntakeServer(
  options: IntakeServerOptions & { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createIntakeServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new IntakeError(415, 'content-type must be application/json');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new IntakeError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new IntakeError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new IntakeError(400, 'body is not valid JSON');
  }
}
