/**
 * A stand-in for GIREVE's IOP CDR receiver: a real HTTP server on loopback, used by the
 * tests and the demo. It stores what it accepts and can be told to misbehave the ways a
 * real hub does: time out, answer 500, drop the connection, reject a CDR, answer slowly.
 * It is steered in process (`mock.control`) or over HTTP (`POST /_mock/control`) so a
 * test can drive one running in another process.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ocpiTokenHeader, routingHeaders } from '../ocpi/transport';
import type { MockBehaviour, MockControl } from './mock-iop-control';

export type { MockBehaviour, MockCheckBehaviour, MockControl } from './mock-iop-control';

export interface ReceivedCdr {
  id: string;
  cdr: Record<string, unknown>;
  receivedAt: Date;
  /** The OCPI 2.2.1 request and routing headers it came with (empty for 2.1.1). */
  headers: Record<string, string>;
}

export interface MockRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export interface MockIop {
  /** The CDR receiver endpoint to configure as IOP_CDRS_URL. */
  cdrsUrl: string;
  ocpiVersion: '2.1.1' | '2.2.1';
  baseUrl: string;
  token: string;
  /** Every CDR accepted, in arrival order, duplicates included. */
  received: ReceivedCdr[];
  /** Every CDR request (POST or GET), answered or not, in arrival order, with its 2.2.1 headers. */
  requests: MockRequest[];
  postCount(): number;
  /** Check CDR GETs answered (or held), all CDRs together. */
  checkCount(): number;
  control(change: MockControl): void;
  close(): Promise<void>;
}

/** OCPI 2.2.1 (transport_and_format 4.1): every request carries these; a receiver refuses one without them. */
const REQUIRED_221_HEADERS = ['x-request-id', 'x-correlation-id', 'ocpi-from-country-code', 'ocpi-from-party-id'];
const ROUTING_221_HEADERS = [...REQUIRED_221_HEADERS, 'ocpi-to-country-code', 'ocpi-to-party-id'];

export async function startMockIop(
  options: {
    port?: number;
    token?: string;
    control?: MockControl;
    ocpiVersion?: '2.1.1' | '2.2.1';
    /**
     * 2.2.1, GIREVE mode: the hub's own party (`FR*107`). As GIREVE, it takes only requests
     * addressed to itself in OCPI-to-*, and answers any other To with hub status 4001.
     */
    hubParty?: string;
  } = {},
): Promise<MockIop> {
  const token = options.token ?? 'mock-iop-token';
  const ocpiVersion = options.ocpiVersion ?? '2.1.1';
  const CDRS_PATH = `/ocpi/emsp/${ocpiVersion}/cdrs`;
  // 2.2.1 sends the token Base64-encoded (transport_and_format 4.1.1).
  const expectedAuthorization = ocpiTokenHeader(ocpiVersion, token);
  const state: Required<MockControl> = {
    behaviour: 'accept',
    failNext: 0,
    failNextBehaviour: 'http500',
    rejectIds: [],
    behaviourOfIds: {},
    failOperators: [],
    latencyMs: 0,
    refuseDuplicates: false,
    withLocation: false,
    alterOnCheck: false,
    replaceIdsOnCheck: false,
    checkBehaviour: 'normal',
  };
  const control = (change: MockControl) => Object.assign(state, change);
  control(options.control ?? {});
  const received: ReceivedCdr[] = [];
  const requests: MockRequest[] = [];
  const sockets = new Set<Socket>();
  let posts = 0;
  let checks = 0;
  let baseUrl = '';

  // Per answer: requests are handled concurrently.
  const echoed = new WeakMap<ServerResponse, Record<string, string>>();
  const answer = (res: ServerResponse, httpStatus: number, statusCode: number, data: unknown, message?: string) => {
    res.writeHead(httpStatus, { 'content-type': 'application/json', ...echoed.get(res) });
    res.end(JSON.stringify({ data, status_code: statusCode, status_message: message, timestamp: new Date().toISOString() }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const body = await readBody(req);
    if (url.pathname === '/_mock/control' && req.method === 'POST') {
      control(JSON.parse(body) as MockControl);
      return answer(res, 200, 1000, state);
    }
    if (url.pathname === '/_mock/cdrs' && req.method === 'GET') {
      return answer(res, 200, 1000, { received, posts });
    }
    const headers = ocpiVersion === '2.2.1' ? pick(req, ROUTING_221_HEADERS) : {};
    requests.push({ method: req.method ?? '', path: url.pathname, headers });
    // Answers echo the request's ids (2.2.1); the routing is turned around.
    if (ocpiVersion === '2.2.1') echoed.set(res, answerHeaders(headers));
    if (req.headers.authorization !== expectedAuthorization) return answer(res, 401, 2000, null, 'unknown token');
    const missing = REQUIRED_221_HEADERS.filter((name) => ocpiVersion === '2.2.1' && !headers[name]);
    if (missing.length > 0) return answer(res, 400, 2001, null, `missing headers: ${missing.join(', ')}`);
    const addressedTo = `${headers['ocpi-to-country-code'] ?? ''}*${headers['ocpi-to-party-id'] ?? ''}`;
    if (ocpiVersion === '2.2.1' && options.hubParty && addressedTo !== options.hubParty) {
      return answer(res, 200, 4001, null, `unknown receiver ${addressedTo}: address requests to ${options.hubParty}`);
    }

    if (url.pathname === CDRS_PATH && req.method === 'POST') {
      posts++;
      let behaviour = state.behaviour;
      if (state.failNext > 0) {
        state.failNext--;
        behaviour = state.failNextBehaviour;
      }
      await sleep(state.latencyMs);
      return receive(body, behaviour, res, headers);
    }
    if (url.pathname.startsWith(`${CDRS_PATH}/`) && req.method === 'GET') {
      checks++;
      await sleep(state.latencyMs);
      switch (state.checkBehaviour) {
        case 'bare404':
          res.writeHead(404, { 'content-type': 'text/plain' });
          return void res.end('Not Found');
        case 'http429':
          return answer(res, 429, 2000, null, 'slow down');
        case 'http500':
          return answer(res, 500, 3000, null, 'internal error');
        case 'unauthorized':
          return answer(res, 401, 2000, null, 'token refused');
        case 'emptyData':
          return answer(res, 200, 1000, {});
        case 'timeout':
          return;
        case 'normal':
          break;
      }
      const id = decodeURIComponent(url.pathname.slice(CDRS_PATH.length + 1));
      const found = [...received].reverse().find((entry) => entry.id === id);
      if (!found) return answer(res, 404, 2000, null, `unknown CDR ${id}`);
      const total = typeof found.cdr.total_cost === 'number' ? found.cdr.total_cost : 0;
      const altered = state.alterOnCheck ? { ...found.cdr, total_cost: total + 1 } : found.cdr;
      // As GIREVE does toward the eMSP: its own session id and authorization reference.
      const held = state.replaceIdsOnCheck
        ? { ...altered, session_id: `IOP-${id}`.slice(0, 36), authorization_reference: 'IOP-AUTH-1' }
        : altered;
      return answer(res, 200, 1000, state.checkBehaviour === 'listData' ? [held] : held);
    }
    return answer(res, 404, 2000, null, 'no such endpoint');
  }

  function receive(body: string, behaviour: MockBehaviour, res: ServerResponse, headers: Record<string, string>): void {
    let cdr: Record<string, unknown>;
    try {
      cdr = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return answer(res, 400, 2001, null, 'body is not JSON');
    }
    const id = typeof cdr.id === 'string' ? cdr.id : '';
    if (!id) return answer(res, 400, 2001, null, 'id: is required');
    behaviour = state.behaviourOfIds[id] ?? behaviour;
    if (state.failOperators.some((operator) => evseIdOf(cdr).startsWith(`${operator}*`))) {
      return answer(res, 500, 3000, null, 'internal error for this operator');
    }
    if (state.refuseDuplicates && received.some((entry) => entry.id === id)) {
      if (state.refuseDuplicates === 'as-invalid') return answer(res, 400, 2001, null, `CDR ${id} already exists`);
      return answer(res, 200, 3000, null, `CDR ${id} already exists`);
    }
    if (behaviour === 'reject' || state.rejectIds.includes(id)) {
      return answer(res, 400, 2001, null, `CDR ${id} refused: total_cost does not match the tariff`);
    }
    switch (behaviour) {
      case 'http500':
        return answer(res, 500, 3000, null, 'internal error');
      case 'ocpi3000':
        return answer(res, 200, 3000, null, 'temporarily unable to process');
      case 'unauthorized':
        return answer(res, 401, 2000, null, 'token refused');
      case 'http413':
        res.writeHead(413, { 'content-type': 'text/html' });
        res.end('<html><body>413 Request Entity Too Large</body></html>');
        return;
      case 'unknown-location':
        return answer(res, 404, 2003, null, `unknown location of CDR ${id}`);
      case 'redirect':
        res.writeHead(308, { location: `${baseUrl}/moved${CDRS_PATH}` });
        res.end();
        return;
      case 'drop':
        res.socket?.destroy();
        return;
      case 'timeout':
        return; // hold the request open until the client gives up
      case 'store-then-timeout':
        received.push({ id, cdr, receivedAt: new Date(), headers });
        return;
      case 'store-then-500':
        received.push({ id, cdr, receivedAt: new Date(), headers });
        return answer(res, 500, 3000, null, 'internal error after the insert');
      case 'store-then-502':
        received.push({ id, cdr, receivedAt: new Date(), headers });
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      case 'store-then-4002':
        received.push({ id, cdr, receivedAt: new Date(), headers });
        return answer(res, 200, 4002, null, 'timeout on forwarded request');
      case 'hub4003':
        return answer(res, 200, 4003, null, 'connection problem: the receiving party is not connected');
      case 'accept': {
        received.push({ id, cdr, receivedAt: new Date(), headers });
        if (state.withLocation) res.setHeader('location', `${baseUrl}${CDRS_PATH}/${encodeURIComponent(id)}`);
        return answer(res, 200, 1000, {});
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, 3000, null, String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    cdrsUrl: `${baseUrl}${CDRS_PATH}`,
    ocpiVersion,
    baseUrl,
    token,
    received,
    requests,
    postCount: () => posts,
    checkCount: () => checks,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** 2.1.1 nests the EVSE in `location`, 2.2.1 flattens it into `cdr_location`. */
function evseIdOf(cdr: Record<string, unknown>): string {
  const location = cdr.location as { evses?: Array<{ evse_id?: unknown }> } | undefined;
  const cdrLocation = cdr.cdr_location as { evse_id?: unknown } | undefined;
  const evseId = location?.evses?.[0]?.evse_id ?? cdrLocation?.evse_id;
  return typeof evseId === 'string' ? evseId : '';
}

function pick(req: IncomingMessage, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (typeof req.headers[name] === 'string' ? [[name, req.headers[name]]] : [])));
}

function answerHeaders(request: Record<string, string>): Record<string, string> {
  const party = (side: 'from' | 'to') => {
    const [country_code, party_id] = [request[`ocpi-${side}-country-code`], request[`ocpi-${side}-party-id`]];
    return country_code && party_id ? { country_code, party_id } : undefined;
  };
  const ids = Object.fromEntries(['x-request-id', 'x-correlation-id'].flatMap((name) => (request[name] ? [[name, request[name]]] : [])));
  return { ...ids, ...routingHeaders(party('to'), party('from')) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
