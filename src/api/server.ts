/**
 * The GIREVE-facing OCPI HTTP service (CPO side): discovery, CDR pull and check, probes.
 *
 * Every answer is JSON in the OCPI envelope. Checks run in this order, so the most basic
 * fault is the one reported: URL length (414), body size (413), rate (429, per token, or
 * per IP address without a valid token; probes exempt), path (404), method (405), token
 * (401), parameters (400), then the handler. Anything unexpected is logged (never the
 * Authorization header) and answered 500 / status 3000 without details. OCPI 2.2.1 routes
 * (src/api/routes.ts) also take the token Base64-encoded, carry X-Request-ID and
 * X-Correlation-ID on every answer, errors included, and (cdrs) the routing headers. With
 * metrics, every answer is counted (src/api/transport/metrics-hook.ts); /metrics itself is served on
 * its own port, never this public one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { ApiConfig } from '../config/index';
import type { ApiMetrics } from '../observability/api-metrics';
import { ocpiStatusCodes } from '../ocpi/response-envelope';
import { ApiError, invalidParameter, methodNotAllowed, notFound, tooManyRequests, unauthorized, uriTooLong } from './transport/api-error';
import { findTokenClient, type TokenClient, type TokenEncoding } from './transport/auth';
import { createPullClientSource, type PullClientSource } from './pull-client-source';
import { clientAddressKey } from './transport/client-address';
import { answerClientError } from './transport/client-error';
import type { RequestContext } from './handler';
import { messageIdHeaders } from './transport/message-ids';
import { countAnswer } from './transport/metrics-hook';
import { routingHeaders } from '../ocpi/transport';
import { narrowScope, readRouting, soleParty } from './transport/read-routing';
import { readQuery } from './cdrs/query-params';
import { createRateLimiter } from './transport/rate-limiter';
import { HEADERS_TIMEOUT_MS, limitRequestBody, MAX_HEADER_BYTES, MAX_URL_LENGTH, REQUEST_TIMEOUT_MS } from './transport/request-limits';
import { type Answer, sendAnswer, sendError } from './transport/respond';
import { ALLOWED_METHODS, matchRoute, type Route } from './routes';

export interface ApiServerOptions {
  pool: Pool;
  /**
   * Read at each request (baseUrl for links), except the clients and rate limits, read
   * once. A test that listens on port 0 may therefore set baseUrl once the port is known.
   */
  config: ApiConfig;
  /** Where unexpected errors go; defaults to console.error. */
  logError?: (error: unknown) => void;
  /** Counts every answer by route and status. */
  metrics?: ApiMetrics;
  /** Who may pull (default: OCPI_TOKENS and the clients registered in Postgres). */
  pullClients?: PullClientSource;
  /** Where a failed read of the registered pull clients goes (once per outage); defaults to console.warn. */
  logWarning?: (message: string, error: unknown) => void;
}

function decodePathParams(raw: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw invalidParameter(`${name} must be valid percent-encoded UTF-8`);
    }
  }
  return decoded;
}

export function createApiServer(options: ApiServerOptions): http.Server {
  const { pool, config, logError = console.error, metrics, logWarning = console.warn } = options;
  const clients =
    options.pullClients ??
    createPullClientSource(pool, config.clients, {
      // Not an error answering a request: the API goes on with the last list it read.
      logError: (error) => logWarning('cannot read the registered pull clients from Postgres; the last list read stays in use', error),
    });
  const limitClient = createRateLimiter(config.rateLimit.perClient);
  const limitAddress = createRateLimiter(config.rateLimit.perAddress);

  const server = http.createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req, res) => {
      if (metrics) countAnswer(metrics, req, res);
      void respond(req, res);
    },
  );
  server.on('clientError', answerClientError);
  return server;

  // Never rejects: an escaping rejection would take the whole process down.
  async function respond(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Filled by handle() as it learns them, so that an error answer carries them too.
    const routeHeaders: Record<string, string> = {};
    try {
      sendAnswer(res, await handle(req, routeHeaders), routeHeaders);
    } catch (error) {
      if (error instanceof ApiError && !res.headersSent) return sendError(res, error, routeHeaders);
      logError(error);
      if (res.headersSent) res.destroy();
      else sendError(res, new ApiError(500, ocpiStatusCodes.SERVER_ERROR, 'internal server error'), routeHeaders);
    }
  }

  // Spends one request of the caller's bucket: its client's, or its address's without a valid token.
  function spendRate(req: http.IncomingMessage, client: TokenClient | undefined): void {
    const decision = client ? limitClient(client.label) : limitAddress(clientAddressKey(req.socket.remoteAddress));
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
  }

  async function handle(req: http.IncomingMessage, routeHeaders: Record<string, string>): Promise<Answer> {
    const target = req.url ?? '/';
    if (target.length > MAX_URL_LENGTH) throw uriTooLong(MAX_URL_LENGTH);
    limitRequestBody(req);
    const queryStart = target.indexOf('?');
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const search = queryStart < 0 ? '' : target.slice(queryStart + 1);
    const match = matchRoute(path);
    const rules = match?.route.ocpi221 ?? false;
    if (rules) Object.assign(routeHeaders, messageIdHeaders(req.headers));
    const presented = findTokenClient(await clients.current(), req.headers.authorization, tokenEncoding(match?.route));
    // A registration token opens the version endpoints only: anywhere else it is no token.
    const client = presented?.role === 'registration' && !match?.route.forRegistration ? undefined : presented;
    // Unknown paths count too: a scanner walking URLs is slowed like any other caller.
    if (!match || match.route.rateLimited) spendRate(req, client);
    if (!match) throw notFound(`unknown route: ${path.slice(0, 100)}`);
    const method = req.method ?? 'GET';
    if (!(ALLOWED_METHODS as readonly string[]).includes(method)) throw methodNotAllowed(method, ALLOWED_METHODS);
    if (match.route.authenticated && !client) throw unauthorized();

    // Without a token nothing is visible; the routes that read CDRs all demand one anyway.
    let scope = client?.sees ?? [];
    if (rules === 'functional') {
      const routing = readRouting(req.headers);
      scope = narrowScope(scope, routing.addressee);
      const sender = routing.addressee ?? soleParty(scope);
      Object.assign(routeHeaders, routingHeaders(sender, routing.requester));
    }
    const context: RequestContext = {
      pool,
      config,
      scope,
      query: readQuery(search, match.route.queryParameters),
      pathParams: decodePathParams(match.rawPathParams),
    };
    const answer = await match.route.handle(context);
    if (rules === 'functional' && answer.sender) Object.assign(routeHeaders, routingHeaders(answer.sender, undefined));
    return answer;
  }
}

/**
 * 2.1.1 routes read the token as is, 2.2.1 ones Base64 first. An unknown path reads both,
 * so that a hub of either version is rate-limited in its own bucket, not its address's.
 */
function tokenEncoding(route: Route | undefined): TokenEncoding {
  return route && route.ocpi221 === false ? 'plain' : 'base64-or-plain';
}

export interface StartedApiServer {
  server: http.Server;
  /** `http://host:port` where it listens (the port chosen by the OS when config.port is 0). */
  url: string;
  close(): Promise<void>;
}

/** Creates the server and listens on config.host:config.port. */
export async function startApiServer(options: ApiServerOptions): Promise<StartedApiServer> {
  const server = createApiServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.config.port, options.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
