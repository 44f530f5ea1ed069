/**
 * Who may POST a CDR to a receiver now. A run of POSTs claims each CDR right before it asks the IOP about
 * it or POSTs it (owner token, time); another run takes a claim over only once it is older
 * than a check and a POST can last (`leaseMs`). So two runs never POST the same CDR at
 * once, even when a workflow task was retried while its local activity still ran, a worker
 * was cut off from Temporal, or a terminated queue's last run is still on the wire.
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';

export interface PostClaim {
  id: string;
  cdr: unknown;
  /** The OCPI 2.2.1 form, for a 2.2.1 connection; null when the session lacked what it needs. */
  cdr221: unknown;
  /**
   * A POST of this CDR to this receiver may have reached it before (set when an earlier
   * attempt's outcome is unknown, or a run died or was abandoned holding the claim): ask
   * the receiver before POSTing. The time that earlier POST started.
   */
  earlierPostAt: Date | null;
}

/** One receiver of a party: its deliveries carry the claims. */
export interface Lane {
  party: Party;
  connection: string;
}

const LANE = 'country_code = $1 AND party_id = $2 AND connection = $3';
const laneParams = (lane: Lane) => [lane.party.country_code, lane.party.party_id, lane.connection];

/**
 * Claims the waiting deliveries of this lane among `ids` that no other live run holds, and
 * returns the CDRs' bodies (one statement). CDRs not waiting here, or held by another run,
 * are left out.
 */
export async function claimPosts(
  pool: Pool,
  lane: Lane,
  ids: string[],
  run: {
    /** Unique to this run. */
    owner: string;
    /** How long a claim holds (a check and a POST, with room to spare). */
    leaseMs: number;
    /** A run POSTs up to this long after its claim (after a check): the latest a lapsed claim's POST may have begun. */
    postDelayMs: number;
  },
): Promise<Map<string, PostClaim>> {
  if (ids.length === 0) return new Map();
  // The claim time is the in-flight mark of every claimed CDR. A lapsed claim's run may have
  // POSTed a little later: the settle delay before believing "unknown CDR" counts from then.
  const result = await pool.query<{ id: string; cdr: unknown; cdr_221: unknown; earlier_post_at: Date | null }>(
    `WITH claimable AS (
       SELECT cdr_id, post_started_at, post_owner FROM deliveries
       WHERE ${LANE} AND cdr_id = ANY($4) AND status = 'queued'
         AND (post_owner IS NULL OR post_started_at < now() - make_interval(secs => $6))
       FOR UPDATE),
     claimed AS (
       UPDATE deliveries SET post_started_at = now(), post_owner = $5
       FROM claimable
       WHERE deliveries.country_code = $1 AND deliveries.party_id = $2 AND deliveries.connection = $3
         AND deliveries.cdr_id = claimable.cdr_id
       RETURNING deliveries.cdr_id,
         CASE WHEN claimable.post_owner IS NULL THEN claimable.post_started_at
              ELSE claimable.post_started_at + make_interval(secs => $7) END AS earlier_post_at)
     SELECT claimed.cdr_id AS id, cdrs.cdr, cdrs.cdr_221, claimed.earlier_post_at
     FROM claimed JOIN cdrs ON cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = claimed.cdr_id`,
    [...laneParams(lane), ids, run.owner, run.leaseMs / 1000, run.postDelayMs / 1000],
  );
  return new Map(
    result.rows.map((row) => [row.id, { id: row.id, cdr: row.cdr, cdr221: row.cdr_221, earlierPostAt: row.earlier_post_at }]),
  );
}

/**
 * Ends this run's claims that are still open (its recorded outcomes ended the others).
 * The CDRs in `keepMark` (POSTed by this run, or reached by an earlier POST) keep their
 * in-flight mark, so they are looked up at the receiver before any further POST.
 */
export async function releaseClaims(pool: Pool, lane: Lane, owner: string, ids: string[], keepMark: string[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE deliveries SET post_owner = NULL, post_started_at = CASE WHEN cdr_id = ANY($6) THEN post_started_at ELSE NULL END
     WHERE ${LANE} AND cdr_id = ANY($4) AND post_owner = $5 AND status = 'queued'`,
    [...laneParams(lane), ids, owner, keepMark],
  );
}

/** How long until another run's claim on this CDR's delivery lapses (0 when it has, or there is none). */
export async function claimLapsesInMs(pool: Pool, lane: Lane, id: string, leaseMs: number): Promise<number> {
  const result = await pool.query<{ remaining_ms: number | null }>(
    `SELECT greatest(extract(epoch FROM post_started_at + make_interval(secs => $5) - now()) * 1000, 0)::float8 AS remaining_ms
     FROM deliveries WHERE ${LANE} AND cdr_id = $4 AND post_owner IS NOT NULL`,
    [...laneParams(lane), id, leaseMs / 1000],
  );
  return Math.ceil(result.rows[0]?.remaining_ms ?? 0);
}
