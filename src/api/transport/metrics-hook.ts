/**
 * Where the API meets its metrics: every request is counted once answered, under its route
 * pattern and never its raw path: one series per route, not one per CDR id or per URL a
 * scanner tries. /metrics itself is not served here: the public OCPI port is the one GIREVE
 * (and anyone) reaches, and the series name every CPO party; `cdrflow api` serves them on
 * their own port (API_METRICS_PORT). Here /metrics is an unknown route like any other.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMetrics } from '../../observability/api-metrics';
import { matchRoute } from '../routes';

/** Label of requests that match no route. */
const UNKNOWN_ROUTE = 'unknown';

/** Counts the answer to `req` once it is sent. */
export function countAnswer(metrics: ApiMetrics, req: IncomingMessage, res: ServerResponse): void {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  const route = matchRoute(path)?.route.pattern ?? UNKNOWN_ROUTE;
  // 'finish': the answer was handed to the OS. A connection cut before that is not an answer.
  res.once('finish', () => metrics.countAnswer(route, res.statusCode));
}
