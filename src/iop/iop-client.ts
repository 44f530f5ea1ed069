/**
 * The HTTP client to the IOP's OCPI CDR receiver (POST a CDR, GET it back). Every call
 * has a deadline; the token goes only in the Authorization header, never in errors.
 *
 * The token goes to the configured IOP only: the origins (scheme, host, port) of
 * IOP_CDRS_URL and of the check URL template. A Location elsewhere is not followed (the
 * check falls back to the template) and redirects are never followed: undici's
 * `request` follows none unless a redirect interceptor is installed, and none is.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';
import { ocpiTokenHeader, routingHeaders } from '../ocpi/transport';
import { cancelledOutcome, classifyAnswer, classifyNetworkError, type DeliveryOutcome, type IopAnswer } from './delivery-outcome';

/** One receiver's wire settings (config's IopConfig for the IOP_* receiver, or a stored connection's). */
export interface IopClientConfig {
  cdrsUrl: string;
  token: string;
  /** `{cdr_id}` is replaced by the CDR id. */
  checkUrlTemplate: string;
  requestTimeoutMs: number;
  /** The receiver's OCPI version: 2.2.1 encodes the token and adds request and routing headers. Default 2.1.1. */
  ocpiVersion?: OcpiVersion;
  /** 2.2.1: every request is addressed to this party (a hub's own), whatever the CDR's eMSP. */
  toParty?: Party | null;
}

/**
 * Who a request is from and for (OCPI 2.2.1 hub routing: OCPI-from-* / OCPI-to-* headers):
 * the CDR's CPO party and, when known, the eMSP that owns the token. Ignored in 2.1.1.
 */
export interface OcpiRouting {
  from: Party;
  to?: Party;
  /** X-Correlation-ID: one id for the requests of one delivery (its POST and checks). */
  correlationId?: string;
}

export interface IopClient {
  /** host[:port] of the IOP's CDR endpoint: names the IOP in search attributes and metrics. */
  readonly host: string;
  readonly ocpiVersion: OcpiVersion;
  /** 2.2.1: the party every request is addressed to (a hub's own), null when it is each CDR's eMSP. */
  readonly toParty: Party | null;
  /**
   * POST one CDR. `signal` (e.g. the activity's cancellation signal) stops the request
   * before its own deadline; the outcome is then a retry with reason `cancelled`
   * (CANCELLED_REASON), its outcome unknown since the IOP may have the CDR already.
   */
  postCdr(cdr: unknown, signal?: AbortSignal, routing?: OcpiRouting): Promise<DeliveryOutcome>;
  /**
   * GET the CDR at `url`: the IOP's answer, or undefined when the network failed, `signal`
   * aborted the request, or `url` is not on the IOP's origin (then nothing is sent).
   */
  getCdr(url: string, signal?: AbortSignal, routing?: OcpiRouting): Promise<IopAnswer | undefined>;
  /**
   * Where to check a CDR: the `Location` the IOP gave when it is on the IOP's origin
   * (resolved against IOP_CDRS_URL), else the check URL template.
   */
  checkUrl(cdrId: string, location: string | null): string;
  close(): Promise<void>;
}

/** Where the client says why it did not use a URL. Temporal's Logger fits. */
export interface IopClientLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface IopClientOptions {
  log?: IopClientLog;
}

const MAX_ANSWER_BYTES = 1_000_000;

export function createIopClient(config: IopClientConfig, options: IopClientOptions = {}): IopClient {
  const log = options.log;
  const iopOrigins = new Set([config.cdrsUrl, config.checkUrlTemplate.replace('{cdr_id}', 'x')].flatMap((url) => originOf(url) ?? []));
  const templateUrl = (cdrId: string) => config.checkUrlTemplate.replace('{cdr_id}', encodeURIComponent(cdrId));
  const onIopOrigin = (url: URL | undefined): url is URL => url !== undefined && iopOrigins.has(url.origin);

  // Keep-alive: the sequencer POSTs one CDR per round trip, and a new TLS handshake per CDR would halve the rate.
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connectTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    bodyTimeout: config.requestTimeoutMs,
  });
  const ocpiVersion = config.ocpiVersion ?? '2.1.1';
  const plainHeaders = {
    // OCPI 2.2.1 (transport_and_format, 4.1.1) sends the token Base64-encoded; 2.1.1 as is.
    authorization: ocpiTokenHeader(ocpiVersion, config.token),
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // A hub (GIREVE) takes every request addressed to itself, and dispatches it to the eMSP.
  const addressed = (routing: OcpiRouting | undefined): OcpiRouting | undefined =>
    config.toParty && routing ? { ...routing, to: config.toParty } : routing;
  const headersFor = (routing: OcpiRouting | undefined): Record<string, string> =>
    ocpiVersion === '2.2.1' ? { ...plainHeaders, ...ocpi221Headers(addressed(routing)) } : plainHeaders;

  async function send(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    signal: AbortSignal,
    routing: OcpiRouting | undefined,
  ): Promise<IopAnswer> {
    const response = await request(url, { method, headers: headersFor(routing), body, dispatcher, signal });
    const text = await readLimited(response.body);
    const location = response.headers.location;
    return {
      httpStatus: response.statusCode,
      body: parseJson(text),
      location: typeof location === 'string' ? location : null,
    };
  }

  return {
    host: new URL(config.cdrsUrl).host,
    ocpiVersion,
    toParty: config.toParty ?? null,
    async postCdr(cdr, cancel, routing) {
      const deadline = AbortSignal.timeout(config.requestTimeoutMs);
      try {
        return classifyAnswer(await send('POST', config.cdrsUrl, JSON.stringify(cdr), withCancel(deadline, cancel), routing));
      } catch (error) {
        // The deadline first: a request that timed out and was then cancelled still timed out.
        return !deadline.aborted && cancel?.aborted ? cancelledOutcome() : classifyNetworkError(error);
      }
    },
    async getCdr(url, cancel, routing) {
      if (!onIopOrigin(parseUrl(url))) {
        log?.warn("IOP token not sent: the URL is not on the IOP's origin", {
          urlOrigin: describeOrigin(url),
          iopOrigins: [...iopOrigins],
        });
        return undefined;
      }
      try {
        return await send('GET', url, undefined, withCancel(AbortSignal.timeout(config.requestTimeoutMs), cancel), routing);
      } catch {
        return undefined;
      }
    },
    checkUrl(cdrId, location) {
      if (location === null) return templateUrl(cdrId);
      const resolved = parseUrl(location, config.cdrsUrl);
      if (onIopOrigin(resolved)) return resolved.href;
      const checkUrl = templateUrl(cdrId);
      // Only the origin is logged: the rest of a foreign URL is none of our business.
      log?.warn("IOP Location ignored: not on the IOP's origin; checking at the check URL template instead", {
        cdrId,
        locationOrigin: describeOrigin(location, config.cdrsUrl),
        iopOrigins: [...iopOrigins],
        checkUrl,
      });
      return checkUrl;
    },
    close: () => dispatcher.close(),
  };
}

async function readLimited(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) throw new Error(`IOP answer larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** The origin of an http(s) URL; undefined for anything else (a template that is not a URL, say). */
function originOf(url: string): string | undefined {
  const parsed = parseUrl(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed.origin : undefined;
}

function describeOrigin(url: string, base?: string): string {
  return parseUrl(url, base)?.origin ?? '(not a URL)';
}

function withCancel(deadline: AbortSignal, cancel: AbortSignal | undefined): AbortSignal {
  return cancel ? AbortSignal.any([deadline, cancel]) : deadline;
}

/**
 * OCPI 2.2.1 request headers (transport_and_format 4.1.2-4.1.4): a fresh X-Request-ID per
 * request, an X-Correlation-ID (the delivery's, or a fresh one), and the hub routing headers
 * GIREVE routes on. Without a known receiver, OCPI-to-* are left out (the hub routes by token).
 */
function ocpi221Headers(routing: OcpiRouting | undefined): Record<string, string> {
  const requestId = randomUUID();
  return {
    'x-request-id': requestId,
    'x-correlation-id': routing?.correlationId ?? requestId,
    ...routingHeaders(routing?.from, routing?.to),
  };
}
