/**
 * What the API's /metrics reports from the store, per CPO party, read at scrape time in
 * one statement (one snapshot, so the numbers add up):
 *
 * - queued / rejected / invalid counts and the oldest queued CDR's age come from the rows
 *   in those statuses only (the partial index `cdrs_by_status`); normally few rows.
 * - sent is never counted row by row (it is nearly every CDR): the per-day pullable
 *   counts kept by trigger (migrations 002, 007) hold queued + sent + rejected of the CDRs
 *   with a 2.1.1 form, so sent is the rest, plus the credit CDRs sent (2.2.1 only, few,
 *   counted through their own index). That reads one row per CPO and day, whatever the
 *   number of CDRs.
 * - check mismatches are counted among the CDRs of the last day only, found through the
 *   pull-order index on last_updated; a check runs right after delivery, so an older
 *   mismatch has been seen (and alerted on) already.
 *
 * A statement timeout bounds the read: a scrape must answer, if only to say the store did not.
 */
import type { Pool } from 'pg';
import { withPoolClient } from './pool-client';

export interface PartyQueueMetrics {
  country_code: string;
  party_id: string;
  queued: number;
  sent: number;
  rejected: number;
  invalid: number;
  /** Seconds since the oldest queued CDR was stored; 0 when none is queued. */
  oldest_queued_age_seconds: number;
  /** CDRs last updated in the past 24 h whose check at the IOP found a difference. */
  check_mismatches_last_day: number;
}

const QUEUE_METRICS_SQL = `
WITH unsettled AS (
  SELECT country_code, party_id,
         count(*) FILTER (WHERE status = 'queued') AS queued,
         count(*) FILTER (WHERE status = 'rejected') AS rejected,
         count(*) FILTER (WHERE status = 'queued' AND cdr IS NOT NULL) AS queued_211,
         count(*) FILTER (WHERE status = 'rejected' AND cdr IS NOT NULL) AS rejected_211,
         count(*) FILTER (WHERE status = 'invalid') AS invalid,
         extract(epoch FROM statement_timestamp() - min(created_at) FILTER (WHERE status = 'queued')) AS oldest_age
  FROM cdrs
  WHERE status IN ('queued', 'rejected', 'invalid')
  GROUP BY country_code, party_id
), pullable AS (
  SELECT country_code, party_id, sum(pullable)::bigint AS pullable
  FROM cdrs_pullable_per_day
  GROUP BY country_code, party_id
), credits_sent AS (
  SELECT country_code, party_id, count(*) AS credits_sent
  FROM cdrs
  WHERE credit_of IS NOT NULL AND status = 'sent'
  GROUP BY country_code, party_id
), mismatches AS (
  SELECT country_code, party_id, count(*) AS mismatches
  FROM cdrs
  WHERE status <> 'invalid' AND last_updated >= statement_timestamp() - interval '1 day' AND check_status = 'mismatch'
  GROUP BY country_code, party_id
)
SELECT country_code, party_id,
       coalesce(queued, 0) AS queued,
       greatest(coalesce(pullable, 0) - coalesce(queued_211, 0) - coalesce(rejected_211, 0), 0) + coalesce(credits_sent, 0) AS sent,
       coalesce(rejected, 0) AS rejected,
       coalesce(invalid, 0) AS invalid,
       greatest(coalesce(oldest_age, 0), 0)::float8 AS oldest_queued_age_seconds,
       coalesce(mismatches, 0) AS check_mismatches_last_day
FROM unsettled
FULL JOIN pullable USING (country_code, party_id)
FULL JOIN credits_sent USING (country_code, party_id)
FULL JOIN mismatches USING (country_code, party_id)
ORDER BY country_code, party_id`;

/** One receiver's lane of a CPO's queue (a connection, or `default` for IOP_*). */
export interface LaneQueueMetrics {
  country_code: string;
  party_id: string;
  connection: string;
  /** CDRs waiting for this receiver. */
  queued: number;
}

// Every connection keeps its series (0 when nothing waits for it); `default` while CDRs wait
// for IOP_*. Reads only waiting deliveries (their partial index), never the delivered history.
const LANE_METRICS_SQL = `
SELECT lane.country_code, lane.party_id, lane.connection,
       (SELECT count(*) FROM deliveries d
        WHERE d.country_code = lane.country_code AND d.party_id = lane.party_id AND d.connection = lane.connection
          AND d.status = 'queued') AS queued
FROM (SELECT country_code, party_id, name AS connection FROM connections
      UNION
      SELECT DISTINCT country_code, party_id, connection FROM deliveries WHERE status = 'queued') lane
ORDER BY 1, 2, 3`;

export interface QueueMetrics {
  parties: PartyQueueMetrics[];
  lanes: LaneQueueMetrics[];
}

export async function readQueueMetrics(pool: Pool, timeoutMs: number): Promise<QueueMetrics> {
  return withPoolClient(pool, async ({ client, discard }) => {
    try {
      await client.query('BEGIN READ ONLY');
      // Local to this transaction: the pooled connection goes back with its usual timeout.
      await client.query("SELECT set_config('statement_timeout', $1, true)", [String(Math.trunc(timeoutMs))]);
      const parties = await client.query<PartyQueueMetrics>(QUEUE_METRICS_SQL);
      const lanes = await client.query<LaneQueueMetrics>(LANE_METRICS_SQL);
      await client.query('COMMIT');
      return { parties: parties.rows, lanes: lanes.rows };
    } catch (error) {
      // A connection that cannot even roll back is dropped, not handed to the next query.
      await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });
}
