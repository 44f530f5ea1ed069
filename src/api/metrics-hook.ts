/**
 * Where the API meets its metrics. /metrics is answered before the OCPI pipeline: no
 * envelope, no OCPI token or rate limit (Prometheus has neither; METRICS_TOKEN guards it
 * when set). Every other request is counted once answered, under its route pattern and
 * never its raw path: one series per route, not one per CDR id or per URL a scanner tries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMetrics } from '../observability/api-metrics';
import { METRICS_PATH } from '../observability/metrics-endpoint';
import { matchRoute } from './routes';

/** Label of requests that match no route. */
const UNKNOWN_ROUTE = 'unknown';

/** True when the metrics answer the request themselves; otherwise its answer will be counted. */
export function handOverToMetrics(metrics: ApiMetrics, req: IncomingMessage, res: ServerResponse): boolean {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  if (path === METRICS_PATH) {
    void metrics.endpoint(req, res);
    return true;
  }
  const route = matchRoute(path)?.route.pattern ?? UNKNOWN_ROUTE;
  // 'finish': the answer was handed to the OS. A connection cut before that is not an answer.
  res.once('finish', () => metrics.countAnswer(route, res.statusCode));
  return false;
}
