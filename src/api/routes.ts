/**
 * The route table: every path the API answers, whether it needs the OCPI token, which
 * query parameters it takes, and which OCPI transport rules it follows. All routes are
 * read-only (GET, and HEAD as HTTP requires).
 */
import { getCdrOf } from './cdrs/cdr-check';
import { listCdrsOf } from './cdrs/cdrs-pull';
import type { Handler } from './handler';
import { health, ready } from './health';
import { CDRS_221_PATH, CDRS_PATH, HEALTH_PATH, READY_PATH, VERSION_DETAILS_221_PATH, VERSION_DETAILS_PATH, VERSIONS_PATH } from './paths';
import { PULL_PARAMETERS } from './cdrs/pull-params';
import { PULL_211, PULL_221 } from './cdrs/pull-version';
import { listVersions, versionDetails, versionDetails221 } from './versions';

/**
 * The OCPI 2.2.1 transport rules a route follows (transport_and_format.asciidoc):
 * - false: none; OCPI 2.1.1 routes (token as is, no extra headers) and the probes.
 * - 'configuration': a 2.2.1 configuration module (versions): token Base64-encoded (or as
 *   is), X-Request-ID / X-Correlation-ID on every answer, no routing headers.
 * - 'functional': a 2.2.1 functional module (cdrs): the same, plus routing headers read
 *   (OCPI-to-* narrows the scope) and answered.
 */
export type Ocpi221Rules = false | 'configuration' | 'functional';

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
  /**
   * The version list is read by clients of both versions: it follows the 2.2.1 rules,
   * whose Base64 token and extra headers a 2.1.1 client neither needs nor minds.
   */
  ocpi221: Ocpi221Rules;
  /** A hub's registration token (OCPI token A) is good here too: the version endpoints, read before it registers. */
  forRegistration?: boolean;
  handle: Handler;
}

export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

const probe = { authenticated: false, rateLimited: false, queryParameters: [], ocpi221: false } as const;
const ocpi = { authenticated: true, rateLimited: true } as const;

export const routes: readonly Route[] = [
  { ...probe, pattern: HEALTH_PATH, handle: health },
  { ...probe, pattern: READY_PATH, handle: ready },
  { ...ocpi, pattern: VERSIONS_PATH, queryParameters: [], ocpi221: 'configuration', forRegistration: true, handle: listVersions },
  { ...ocpi, pattern: VERSION_DETAILS_PATH, queryParameters: [], ocpi221: false, forRegistration: true, handle: versionDetails },
  { ...ocpi, pattern: CDRS_PATH, queryParameters: PULL_PARAMETERS, ocpi221: false, handle: listCdrsOf(PULL_211) },
  { ...ocpi, pattern: `${CDRS_PATH}/:cdr_id`, queryParameters: [], ocpi221: false, handle: getCdrOf(PULL_211) },
  {
    ...ocpi,
    pattern: VERSION_DETAILS_221_PATH,
    queryParameters: [],
    ocpi221: 'configuration',
    forRegistration: true,
    handle: versionDetails221,
  },
  { ...ocpi, pattern: CDRS_221_PATH, queryParameters: PULL_PARAMETERS, ocpi221: 'functional', handle: listCdrsOf(PULL_221) },
  { ...ocpi, pattern: `${CDRS_221_PATH}/:cdr_id`, queryParameters: [], ocpi221: 'functional', handle: getCdrOf(PULL_221) },
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
