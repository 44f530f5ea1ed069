/**
 * Intake for CPO backends not written in TypeScript: `POST /sessions/ended` with a
 * SessionEnded JSON body hands one ended session in, exactly as `startCdr` does, and
 * answers with its workflow id. Idempotent on the session: a repeat answers 200 with the
 * same ids. It listens apart from the GIREVE-facing API (its own port and tokens) so the
 * write path never faces the public hub.
 *
 * Each token acts for the CPO parties it is scoped to (INTAKE_TOKENS, the syntax of
 * OCPI_TOKENS): a session of another party is refused with 403 before anything reaches
 * Temporal, so one backend can neither hand in nor take a queue place for another's sessions.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PullClient } from '../config/token-list';
import { operatorId, type Party } from '../ocpi/party';
import { InvalidSessionEndedError, parseSessionEnded } from '../cdr/session/parse-session-ended';
import { TemporalSetupError } from '../temporal/temporal-errors';
import type { StartedCdr } from '../client/start-cdr';

export const INTAKE_PATH = '/sessions/ended';
const MAX_BODY_BYTES = 1_000_000;

export interface IntakeServerOptions {
  /** The backends' tokens and the parties each may act for (intakeConfig().clients). */
  clients: readonly PullClient[];
  /** Hands one session in; throws InvalidSessionEndedError for a bad one. */
  startSession: (sessionEnded: unknown) => Promise<StartedCdr>;
  logError?: (error: unknown) => void;
}

class IntakeError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly problems?: string[],
    readonly party?: string,
  ) {
    super(message);
  }
}

export function createIntakeServer(options: IntakeServerOptions): http.Server {
  const known = options.clients.map((client) => ({ client, digest: digest(client.token) }));
  const findClient = (header: string | undefined): PullClient | undefined => {
    const match = /^(?:Bearer|Token)\s+(\S+)$/i.exec(header ?? '');
    if (!match) return undefined;
    const presented = digest(match[1]!);
    let found: PullClient | undefined;
    // Compare with every token, always: the time taken says nothing about which one matched.
    for (const candidate of known) if (timingSafeEqual(candidate.digest, presented)) found = candidate.client;
    return found;
  };

  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return { status: 200, body: { status: 'alive' } };
    if (path !== INTAKE_PATH) throw new IntakeError(404, `unknown route: ${path?.slice(0, 100)}`);
    if (req.method !== 'POST') throw new IntakeError(405, `${req.method} not allowed: use POST`);
    const client = findClient(req.headers.authorization);
    if (!client) throw new IntakeError(401, 'missing or unknown token');
    const body = await readJsonBody(req);
    try {
      // The party as startSession will read it (same parser), so no input can slip past the scope.
      refuseOutOfScope(client, parseSessionEnded(body).party);
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
          return send(res, error.httpStatus, {
            error: error.message,
            ...(error.problems ? { problems: error.problems } : {}),
            ...(error.party ? { party: error.party } : {}),
          });
        }
        (options.logError ?? console.error)(error);
        // The session was not handed in: the backend must retry (it is idempotent). The log
        // says the cause and what to do; the answer names it by its stable code.
        send(res, 503, {
          error: 'could not hand the session in now; retry',
          ...(error instanceof TemporalSetupError ? { code: error.code } : {}),
        });
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

/** Throws 403 when the session's party is not one the client may act for. */
function refuseOutOfScope(client: PullClient, party: Party): void {
  if (client.sees === 'all') return;
  if (client.sees.some((own) => own.country_code === party.country_code && own.party_id === party.party_id)) return;
  const named = operatorId(party);
  throw new IntakeError(403, `this token may not hand in sessions of ${named}`, undefined, named);
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
