/**
 * The query of GET /cdrs (OCPI sender interface + pagination), read into a pull request.
 * Each rule failure names the parameter; nothing malformed reaches the database.
 */
import type { PullSortKey } from '../../store/cdr-pull-query';
import { invalidParameter } from '../transport/api-error';
import { compareDateTimes, readDateTimeParam } from './date-time-param';
import { decodeCursor } from './pull-cursor';

export const PULL_PARAMETERS = ['date_from', 'date_to', 'offset', 'limit', 'cursor'] as const;

// Postgres takes a bigint OFFSET; this bound keeps offset + limit exact in JS as well.
const MAX_OFFSET = 2_147_483_647;
const DIGITS_RE = /^\d+$/;

export interface PullRequest {
  /** Normalized OCPI DateTimes (ending in Z), repeated as given in the next Link. */
  window: { from?: string; to?: string };
  offset: number;
  /** The limit in force: the client's, capped at the server maximum. */
  limit: number;
  /** Present when following a next Link: the page starts right after this CDR. */
  after?: PullSortKey;
}

export interface PullLimits {
  defaultLimit: number;
  maxLimit: number;
}

function readOffset(value: string | undefined): number {
  if (value === undefined) return 0;
  const offset = DIGITS_RE.test(value) ? Number(value) : Number.NaN;
  if (!(offset <= MAX_OFFSET)) throw invalidParameter(`offset must be a whole number from 0 to ${MAX_OFFSET}`);
  return offset;
}

// A limit above the maximum is legal OCPI: the server may return fewer (X-Limit says how many at most).
function readLimit(value: string | undefined, limits: PullLimits): number {
  if (value === undefined) return limits.defaultLimit;
  const limit = DIGITS_RE.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1)) throw invalidParameter(`limit must be a whole number of 1 or more (values above ${limits.maxLimit} are capped)`);
  return Math.min(limit, limits.maxLimit);
}

function readCursor(value: string | undefined): PullSortKey | undefined {
  if (value === undefined) return undefined;
  const key = decodeCursor(value);
  if (!key) throw invalidParameter('cursor must be copied unchanged from a Link header of this server');
  return key;
}

export function readPullRequest(query: ReadonlyMap<string, string>, limits: PullLimits): PullRequest {
  const dateFrom = query.get('date_from');
  const dateTo = query.get('date_to');
  const from = dateFrom === undefined ? undefined : readDateTimeParam('date_from', dateFrom);
  const to = dateTo === undefined ? undefined : readDateTimeParam('date_to', dateTo);
  // Equal bounds are an empty window (from inclusive, to exclusive), not a mistake.
  if (from !== undefined && to !== undefined && compareDateTimes(to, from) < 0) {
    throw invalidParameter('date_to must not be earlier than date_from');
  }
  const request: PullRequest = {
    window: { from, to },
    offset: readOffset(query.get('offset')),
    limit: readLimit(query.get('limit'), limits),
  };
  const after = readCursor(query.get('cursor'));
  if (after) request.after = after;
  return request;
}
