/**
 * The reads behind GIREVE's pull (OCPI CDRs sender interface): count and page of the CDRs
 * it may see, and one CDR by id for its check. A CDR that failed our own validation was
 * never meant to leave the CPO, so it is never pullable.
 *
 * Pages follow the order of the `cdrs_pull_order` index (same columns, same WHERE), so
 * Postgres walks the index instead of sorting. A page is addressed either by offset (what
 * OCPI defines) or by the sort key of the last row already seen (keyset): the keyset page
 * costs the same deep in the list as on page 1 and is not shifted by rows inserted or
 * removed before it while a client walks the pages.
 */
import type { Pool } from 'pg';

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
  /** The stored CDR, exactly as built. */
  cdr: unknown;
  key: PullSortKey;
}

// Open ends of the window; Postgres orders every real timestamp strictly between them.
const windowParams = (window: PullWindow) => [window.from ?? '-infinity', window.to ?? 'infinity'];

// A key before every real row (its last_updated is -infinity), so the first page needs no other statement.
const START_KEY: PullSortKey = { last_updated: '-infinity', country_code: '', party_id: '', id: '' };

export async function countPullableCdrs(pool: Pool, window: PullWindow): Promise<number> {
  const result = await pool.query<{ total: number }>(
    `SELECT count(*) AS total FROM cdrs
     WHERE status <> 'invalid' AND last_updated >= $1 AND last_updated < $2`,
    windowParams(window),
  );
  return result.rows[0]?.total ?? 0;
}

/** Up to `limit` CDRs of the window in pull order, from the given position. */
export async function findPullPage(
  pool: Pool,
  window: PullWindow,
  position: PagePosition,
  limit: number,
): Promise<PullPageRow[]> {
  const after = 'after' in position ? position.after : START_KEY;
  const offset = 'offset' in position ? position.offset : 0;
  const result = await pool.query<{
    cdr: unknown;
    last_updated: string;
    country_code: string;
    party_id: string;
    id: string;
  }>(
    `SELECT cdr,
            to_char(last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_updated,
            country_code, party_id, id
     FROM cdrs
     WHERE status <> 'invalid' AND last_updated >= $1 AND last_updated < $2
       AND (last_updated, country_code, party_id, id) > ($3::timestamptz, $4, $5, $6)
     ORDER BY last_updated, country_code, party_id, id
     OFFSET $7 LIMIT $8`,
    [...windowParams(window), after.last_updated, after.country_code, after.party_id, after.id, offset, limit],
  );
  return result.rows.map(({ cdr, ...key }) => ({ cdr, key }));
}

/**
 * The pullable CDR with this id, for a hub checking one. OCPI ids are CiStrings (compared
 * case-insensitively) and unique within the CPO's platform; should two parties of the
 * platform reuse an id anyway, the first in pull order answers, always the same one.
 */
export async function findPullableCdrById(pool: Pool, id: string): Promise<{ cdr: unknown } | undefined> {
  const result = await pool.query<{ cdr: unknown }>(
    `SELECT cdr FROM cdrs
     WHERE status <> 'invalid' AND lower(id) = lower($1)
     ORDER BY last_updated, country_code, party_id, id
     LIMIT 1`,
    [id],
  );
  return result.rows[0];
}
