/**
 * The `Link: <url>; rel="next"` of a pull page. It repeats the client's filters
 * (transport_and_format.md: "The Link should also contain any filters present in the
 * original request"), moves offset by the limit in force, and adds the keyset cursor so
 * the next page starts right after the last CDR sent, whatever was inserted meanwhile.
 */
import type { PullSortKey } from '../../store/cdr-pull-query';
import { encodeCursor } from './pull-cursor';
import type { PullRequest } from './pull-params';

/** `cdrsPath`: the endpoint the page came from (each OCPI version links to its own). */
export function nextPageLink(baseUrl: string, cdrsPath: string, request: PullRequest, lastSent: PullSortKey): string {
  const params = new URLSearchParams();
  if (request.window.from !== undefined) params.set('date_from', request.window.from);
  if (request.window.to !== undefined) params.set('date_to', request.window.to);
  params.set('offset', String(request.offset + request.limit));
  params.set('limit', String(request.limit));
  params.set('cursor', encodeCursor(lastSent));
  return `<${baseUrl}${cdrsPath}?${params.toString()}>; rel="next"`;
}
