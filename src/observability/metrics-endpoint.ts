/**
 * GET /metrics in Prometheus' text exposition format, shared by the API and the worker.
 * Plain text, no OCPI envelope: Prometheus is the only client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { createBearerCheck } from './bearer-token';

/** Where Prometheus scrapes, on the worker's and the API's metrics ports alike. */
export const METRICS_PATH = '/metrics';

export interface MetricsEndpointOptions {
  registry: Registry;
  /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | null;
  /** Runs before each scrape, e.g. to read the store-backed gauges; must not reject. */
  beforeScrape?: () => Promise<void>;
}

/** Answers one request; never rejects. */
export type MetricsEndpoint = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export function createMetricsEndpoint({ registry, token, beforeScrape }: MetricsEndpointOptions): MetricsEndpoint {
  const authorized = createBearerCheck(token);
  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendText(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      }
      if (!authorized(req.headers.authorization)) {
        return sendText(res, 401, 'unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', { 'WWW-Authenticate': 'Bearer' });
      }
      await beforeScrape?.();
      sendText(res, 200, await registry.metrics(), { 'Content-Type': registry.contentType });
    } catch {
      // Rendering our own registry does not fail in practice; if it does, say so without details.
      if (res.headersSent) res.destroy();
      else sendText(res, 500, 'metrics unavailable\n');
    }
  };
}
