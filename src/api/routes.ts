/**
 * The route table: every path the API answers, whether it needs the OCPI token, and which
 * query parameters it takes. All routes are read-only (GET, and HEAD as HTTP requires).
 */
import { getCdr } from './cdr-check';
import { listCdrs } from './cdrs-pull';
import type { Handler } from './handler';
import { health, ready } from './health';
import { CDRS_PATH, HEALTH_PATH, READY_PATH, VERSION_DETAILS_PATH, VERSIONS_PATH } from './paths';
import { PULL_PARAMETERS } from './pull-params';
import { listVersions, versionDetails } from './versions';

export interface Route {
  /** Literal segments, and `:name` for a path parameter (one non-empty segment). */
  pattern: string;
  authenticated: boolean;
  /**
   * Counted against the caller's rate limit. The probes are not: a supervisor sharing an
   * address with a flood of unauthenticated calls (a local TLS proxy) must not see the
   * service as dead and restart it.
   */
  rateLimited: boolean;
  queryParameters: readonly string[];
  handle: Handler;
}

export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

export const routes: readonly Route[] = [
  { pattern: HEALTH_PATH, authenticated: false, rateLimited: false, queryParameters: [], handle: health },
  { pattern: READY_PATH, authenticated: false, rateLimited: false, queryParameters: [], handle: ready },
  { pattern: VERSIONS_PATH, authenticated: true, rateLimited: true, queryParameters: [], handle: listVersions },
  { pattern: VERSION_DETAILS_PATH, authenticated: true, rateLimited: true, queryParameters: [], handle: versionDetails },
  { pattern: CDRS_PATH, authenticated: true, rateLimited: true, queryParameters: PULL_PARAMETERS, handle: listCdrs },
  { pattern: `${CDRS_PATH}/:cdr_id`, authenticated: true, rateLimited: true, queryParameters: [], handle: getCdr },
];

export interface RouteMatch {
  route: Route;
  /** Path parameters as they appear in the URL, still percent-encoded. */
  rawPathParams: Record<string, string>;
}

/**
 * The route of `path`. One trailing slash is tolerated: OCPI's own examples write
 * `/cdrs/?date_from=…` and the version URLs with a final `/`.
 */
export function matchRoute(path: string): RouteMatch | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/');
  for (const route of routes) {
    const expected = route.pattern.split('/');
    if (expected.length !== segments.length) continue;
    const rawPathParams: Record<string, string> = {};
    const matches = expected.every((part, index) => {
      const actual = segments[index] ?? '';
      if (!part.startsWith(':')) return part === actual;
      rawPathParams[part.slice(1)] = actual;
      return actual.length > 0;
    });
    if (matches) return { route, rawPathParams };
  }
  return undefined;
}
