/**
 * A small HTTP server for Prometheus: GET /metrics and nothing else, on its own port
 * (WORKER_METRICS_PORT, API_METRICS_PORT). The worker has no other HTTP side; the API's
 * other side is public, and its metrics must not be.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_PATH, type MetricsEndpoint } from './metrics-endpoint';

export interface MetricsServer {
  /** `http://host:port/metrics` (the port chosen by the OS when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { host: string; port: number; endpoint: MetricsEndpoint }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === METRICS_PATH) return void options.endpoint(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found: this port serves GET /metrics only\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
