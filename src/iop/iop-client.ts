/**
 * The HTTP client to the IOP's OCPI CDR receiver (POST a CDR, GET it back). Every call
 * has a deadline; the token goes only in the Authorization header, never in errors.
 */
import { Agent, request } from 'undici';
import type { IopConfig } from '../config';
import { classifyAnswer, classifyNetworkError, type DeliveryOutcome, type IopAnswer } from './delivery-outcome';

export type IopClientConfig = Pick<IopConfig, 'cdrsUrl' | 'token' | 'checkUrlTemplate' | 'requestTimeoutMs'>;

export interface IopClient {
  /** host[:port] of the IOP's CDR endpoint: names the IOP in search attributes and metrics. */
  readonly host: string;
  postCdr(cdr: unknown): Promise<DeliveryOutcome>;
  /** GET the CDR at `url`: the IOP's answer, or undefined when the network failed. */
  getCdr(url: string): Promise<IopAnswer | undefined>;
  checkUrl(cdrId: string, location: string | null): string;
  close(): Promise<void>;
}

const MAX_ANSWER_BYTES = 1_000_000;

export function createIopClient(config: IopClientConfig): IopClient {
  // Keep-alive: the sequencer POSTs one CDR per round trip, and a new TLS handshake per CDR would halve the rate.
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connectTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    bodyTimeout: config.requestTimeoutMs,
  });
  const headers = {
    authorization: `Token ${config.token}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };

  async function send(method: 'GET' | 'POST', url: string, body?: string): Promise<IopAnswer> {
    const response = await request(url, {
      method,
      headers,
      body,
      dispatcher,
      signal: AbortSignal.timeout(config.requestTimeoutMs),
    });
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
    async postCdr(cdr) {
      try {
        return classifyAnswer(await send('POST', config.cdrsUrl, JSON.stringify(cdr)));
      } catch (error) {
        return classifyNetworkError(error);
      }
    },
    async getCdr(url) {
      try {
        return await send('GET', url);
      } catch {
        return undefined;
      }
    },
    checkUrl(cdrId, location) {
      return location ?? config.checkUrlTemplate.replace('{cdr_id}', encodeURIComponent(cdrId));
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
