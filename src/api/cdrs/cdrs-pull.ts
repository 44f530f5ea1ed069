/**
 * GET /ocpi/cpo/{2.1.1,2.2.1}/cdrs: one page of the CDRs the caller may pull (mod_cdrs
 * sender interface), with the pagination headers of transport_and_format. Each version
 * serves its own form of the stored CDR; a CDR without a 2.2.1 form is not in the 2.2.1 pull.
 */
import { countPullableCdrs, findPullPage } from '../../store/cdr-pull-query';
import type { Handler } from '../handler';
import { nextPageLink } from './next-page-link';
import { readPullRequest } from './pull-params';
import type { PullVersion } from './pull-version';
import { JsonText } from '../transport/respond';

export function listCdrsOf(version: PullVersion): Handler {
  return async ({ pool, config, scope, query }) => {
    const request = readPullRequest(query, config);
    const position = request.after ? { after: request.after } : { offset: request.offset };
    // One row beyond the page tells whether a next page exists, without trusting the count
    // (taken by another statement, so CDRs inserted in between may already be in it).
    const [total, rows] = await Promise.all([
      countPullableCdrs(pool, scope, request.window, version.form),
      findPullPage(pool, scope, request.window, position, request.limit + 1, { form: version.form }),
    ]);
    const page = rows.slice(0, request.limit);
    const lastSent = page.at(-1);
    const headers: Record<string, string> = {
      'X-Total-Count': String(total),
      'X-Limit': String(config.maxLimit),
    };
    if (rows.length > page.length && lastSent) {
      headers.Link = nextPageLink(config.baseUrl, version.cdrsPath, request, lastSent.key);
    }
    return { data: new JsonText(`[${page.map((row) => row.cdrJson).join(',')}]`), headers };
  };
}
