/**
 * The reads behind GIREVE's pull (OCPI CDRs sender interface): count and page of the CDRs
 * a client may see, and one CDR by id for its check. A CDR that failed our own validation
 * was never meant to leave the CPO, so it is never pullable. Every read takes a scope, the
 * CPO parties whose CDRs the client sees, and filters on it in SQL.
 *
 * Each read serves one form of the CDR (src/store/cdr-form.ts: the 2.1.1 body, or the 2.2.1
 * one that only some CDRs have), and sees only the rows that have that form.
 *
 * Pages follow the order of the form's pull index (cdrs_pull_order, cdrs_pull_221_order:
 * same columns, same WHERE), so Postgres walks the index instead of sorting. A page is
 * addressed either by offset (what OCPI defines) or by the sort key of the last row already
 * seen (keyset): the keyset page costs the same deep in the list as on page 1 and is not
 * shifted by rows inserted or removed before it while a client walks the pages.
 */
import type { Pool, QueryResult } from 'pg';
import { PULL_BARRIER_LOCK } from './cdr-repo';
import { withPoolClient } from './pool-client';
import { CDR_FORMS, type CdrForm } from './cdr-form';
import type { Party, PullScope } from '../ocpi/party';

/** A `last_updated` window: `from` inclusive, `to` exclusive, as OCPI's date_from/date_to. */
export interface PullWindow {
  /** A Date, or timestamp text Postgres reads exactly (keeps sub-millisecond digits). */
  from?: Date | string;
  to?: Date | string;
}

/** Where a row sits in the pull order; the keyset cursor of the next page. */
export interface PullSortKey {
  /** `last_updated` in UTC with microseconds (`2015-06-29T20:39:09.123456Z`): a JS Date would drop digits. */
  last_updated: string;
  country_code: string;
  party_id: string;
  id: string;
}

export type PagePosition = { offset: number } | { after: PullSortKey };

export interface PullPageRow {
  /**
   * The stored CDR as JSON text, exactly as Postgres holds it: the API passes it through
   * without decoding and re-encoding it (a page of 20 CDRs is about 30 KB of JSON).
   */
  cdrJson: string;
  key: PullSortKey;
}

// Open ends of the window; Postgres orders every real timestamp strictly between them.
const windowParams = (window: PullWindow) => [window.from ?? '-infinity', window.to ?? 'infinity'];

// A key before every real row (its last_updated is -infinity), so the first page needs no other statement.
const START_KEY: PullSortKey = { last_updated: '-infinity', country_code: '', party_id: '', id: '' };

/**
 * The scope as a predicate on country_code / party_id, with its parameters numbered from
 * `firstParam`. One party becomes two equalities, which the pull index checks itself.
 */
function scopeFilter(scope: PullScope, firstParam: number): { sql: string; params: string[] } {
  if (scope === 'all') return { sql: 'TRUE', params: [] };
  if (scope.length === 0) return { sql: 'FALSE', params: [] };
  const pairs = scope.map((_, index) => `($${firstParam + 2 * index}, $${firstParam + 2 * index + 1})`);
  return {
    sql: `(country_code, party_id) IN (${pairs.join(', ')})`,
    params: scope.flatMap((party) => [party.country_code, party.party_id]),
  };
}

/**
 * The exact number of pullable CDRs (of this form) in the window, read mostly from the
 * per-day and per-hour counts of migrations 002 and 007: whole UTC days of the window from
 * the day counts, whole hours left at its two edges from the hour counts, and only the rows
 * of the partial hours at its very ends from cdrs. Cost: one row per day of the window plus at most two hours of CDRs,
 * instead of one index entry per CDR. One statement, so all parts read the same snapshot.
 */
export async function countPullableCdrs(pool: Pool, scope: PullScope, window: PullWindow, form: CdrForm = '2.1.1'): Promise<number> {
  const { pullable, counted } = CDR_FORMS[form];
  const filter = scopeFilter(scope, 3);
  const result = await pool.query<{ total: number }>(
    `WITH win AS (
       SELECT $1::timestamptz AS f, $2::timestamptz AS t
     ), whole AS (
       -- First and last whole hour / day inside [f, t); infinities stay infinite.
       SELECT f, t,
              date_trunc('hour', f + interval '1 hour' - interval '1 microsecond', 'UTC') AS fh,
              date_trunc('hour', t, 'UTC') AS th,
              date_trunc('day', f + interval '1 day' - interval '1 microsecond', 'UTC') AS fd,
              date_trunc('day', t, 'UTC') AS td
       FROM win
     ), parts AS (
       -- Days [fd, td) if any; hours [fh, hl) and [hr, th) around them; rows [f, rl) and [rr, t) around those.
       SELECT *,
              CASE WHEN fd < td THEN fd ELSE th END AS hl,
              CASE WHEN fd < td THEN td ELSE th END AS hr,
              CASE WHEN fh < th THEN fh ELSE t END AS rl,
              CASE WHEN fh < th THEN th ELSE t END AS rr
       FROM whole
     )
     SELECT (
         (SELECT coalesce(sum(${counted}), 0) FROM cdrs_pullable_per_day
          WHERE day >= parts.fd AND day < parts.td AND ${filter.sql})
       + (SELECT coalesce(sum(${counted}), 0) FROM cdrs_pullable_per_hour
          WHERE hour >= parts.fh AND hour < parts.hl AND ${filter.sql})
       + (SELECT coalesce(sum(${counted}), 0) FROM cdrs_pullable_per_hour
          WHERE hour >= parts.hr AND hour < parts.th AND ${filter.sql})
       + (SELECT count(*) FROM cdrs
          WHERE ${pullable} AND last_updated >= parts.f AND last_updated < parts.rl AND ${filter.sql})
       + (SELECT count(*) FROM cdrs
          WHERE ${pullable} AND last_updated >= parts.rr AND last_updated < parts.t AND ${filter.sql})
     )::bigint AS total
     FROM parts`,
    [...windowParams(window), ...filter.params],
  );
  return result.rows[0]?.total ?? 0;
}

interface PageRow {
  cdr_json: string;
  last_updated: string;
  country_code: string;
  party_id: string;
  id: string;
}

/**
 * Up to `limit` CDRs of the window in pull order, from the given position. The positions
 * are found on the index alone (an index-only scan when the table is vacuumed) and only the
 * page's own rows are read from the table, so an offset skips index entries, not CDRs.
 *
 * Read behind the pull barrier (PULL_BARRIER_LOCK, held exclusively until the read is
 * done, in a read-committed transaction so the read's snapshot is taken after the lock):
 * every insert that stamped its CDR before is committed and seen; every one after has a
 * later `last_updated` than this read's start, so a hub pulling next from then sees it.
 */
export async function findPullPage(
  pool: Pool,
  scope: PullScope,
  window: PullWindow,
  position: PagePosition,
  limit: number,
  options: {
    /** false only to measure what the barrier costs (scripts/bench/pull-api.ts): such a read may miss a late commit. */
    behindBarrier?: boolean;
    /** The form served; 2.1.1 by default. */
    form?: CdrForm;
  } = {},
): Promise<PullPageRow[]> {
  const { body, pullable } = CDR_FORMS[options.form ?? '2.1.1'];
  const after = 'after' in position ? position.after : START_KEY;
  const offset = 'offset' in position ? position.offset : 0;
  const filter = scopeFilter(scope, 9);
  const sql = `SELECT stored.${body}::text AS cdr_json,
            to_char(page.last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_updated,
            page.country_code, page.party_id, page.id
     FROM (
       SELECT last_updated, country_code, party_id, id
       FROM cdrs
       WHERE ${pullable} AND last_updated >= $1 AND last_updated < $2
         AND (last_updated, country_code, party_id, id) > ($3::timestamptz, $4, $5, $6)
         AND ${filter.sql}
       ORDER BY last_updated, country_code, party_id, id
       OFFSET $7 LIMIT $8
     ) page
     JOIN cdrs stored ON (stored.country_code, stored.party_id, stored.id) = (page.country_code, page.party_id, page.id)
     ORDER BY page.last_updated, page.country_code, page.party_id, page.id`;
  const params = [
    ...windowParams(window),
    after.last_updated,
    after.country_code,
    after.party_id,
    after.id,
    offset,
    limit,
    ...filter.params,
  ];
  const rowsOf = (result: QueryResult<PageRow>) => result.rows.map(({ cdr_json, ...key }) => ({ cdrJson: cdr_json, key }));
  if (options.behindBarrier === false) return rowsOf(await pool.query<PageRow>(sql, params));
  return withPoolClient(pool, async ({ client, discard }) => {
    try {
      await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${PULL_BARRIER_LOCK})`);
      const result = await client.query<PageRow>(sql, params);
      await client.query('COMMIT');
      return rowsOf(result);
    } catch (error) {
      await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });
}

/** A CDR found by id: its body as JSON text (as PullPageRow) and the CPO party it belongs to. */
export interface PullableCdr extends Party {
  cdrJson: string;
}

/**
 * The pullable CDR (of this form) with this id within the scope, for a hub checking one.
 * OCPI ids are CiStrings (compared case-insensitively) and unique within the CPO's
 * platform; should two parties of the platform reuse an id anyway, the first in pull order
 * answers, always the same one.
 */
export async function findPullableCdrById(
  pool: Pool,
  scope: PullScope,
  id: string,
  form: CdrForm = '2.1.1',
): Promise<PullableCdr | undefined> {
  const { body, pullable } = CDR_FORMS[form];
  const filter = scopeFilter(scope, 2);
  const result = await pool.query<PullableCdr>(
    `SELECT ${body}::text AS "cdrJson", country_code, party_id FROM cdrs
     WHERE ${pullable} AND lower(id) = lower($1) AND ${filter.sql}
     ORDER BY last_updated, country_code, party_id, id
     LIMIT 1`,
    [id, ...filter.params],
  );
  return result.rows[0];
}
