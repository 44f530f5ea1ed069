/**
 * Who may POST a CDR to a receiver now. A run of POSTs claims each CDR right before it asks the IOP about
 * it or POSTs it (owner token, time); another run takes a claim over only once it is older
 * than a check and a POST can last (`leaseMs`). So two runs never POST the same CDR at
 * once, even when a workflow task was retried while its local activity still ran, a worker
 * was cut off from Temporal, or a terminated queue's last run is still on the wire.
 */
import type { Pool } from 'pg';
import { DEFAULT_RECEIVER, type Lane } from '../receivers/receiver';

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

const LANE = 'country_code = $1 AND party_id = $2 AND connection = $3';
/**
 * The lane's connection is enabled (IOP_* has no row): a `connection disable` stops a run
 * under way before its next CDR, not at the end of the run.
 */
const RECEIVER_ENABLED = `($3 = '${DEFAULT_RECEIVER}' OR EXISTS (
  SELECT 1 FROM connections c WHERE c.country_code = $1 AND c.party_id = $2 AND c.name = $3 AND c.enabled))`;
const laneParams = (lane: Lane) => [lane.party.country_code, lane.party.party_id, lane.connection];

/**
 * Claims the CDR's delivery in this lane unless another live run holds it, and returns the
 * CDR's bodies (one statement, every lookup on its full key); undefined when it does not
 * wait here, or another run holds it.
 */
export async function claimPost(
  pool: Pool,
  lane: Lane,
  id: string,
  run: {
    /** Unique to this run. */
    owner: string;
    /** How long a claim holds (a check and a POST, with room to spare). */
    leaseMs: number;
    /** A run POSTs up to this long after its claim (after a check): the latest a lapsed claim's POST may have begun. */
    postDelayMs: number;
  },
): Promise<PostClaim | undefined> {
  // The claim time is the in-flight mark of the claimed CDR. A lapsed claim's run may have
  // POSTed a little later: the settle delay before believing "unknown CDR" counts from then.
  const result = await pool.query<{ cdr: unknown; cdr_221: unknown; earlier_post_at: Date | null }>(
    `WITH claimable AS (
       SELECT post_started_at, post_owner FROM deliveries
       WHERE ${LANE} AND cdr_id = $4 AND status = 'queued'
         AND (post_owner IS NULL OR post_started_at < now() - make_interval(secs => $6))
         AND ${RECEIVER_ENABLED}
       FOR UPDATE),
     claimed AS (
       UPDATE deliveries SET post_started_at = now(), post_owner = $5
       WHERE ${LANE} AND cdr_id = $4 AND EXISTS (SELECT 1 FROM claimable)
       RETURNING 1)
     SELECT cdrs.cdr, cdrs.cdr_221,
            (SELECT CASE WHEN post_owner IS NULL THEN post_started_at
                         ELSE post_started_at + make_interval(secs => $7) END FROM claimable) AS earlier_post_at
     FROM cdrs
     WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = $4 AND EXISTS (SELECT 1 FROM claimed)`,
    [...laneParams(lane), id, run.owner, run.leaseMs / 1000, run.postDelayMs / 1000],
  );
  const row = result.rows[0];
  return row ? { id, cdr: row.cdr, cdr221: row.cdr_221, earlierPostAt: row.earlier_post_at } : undefined;
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

/** Why a CDR's delivery could not be claimed. */
export type NotClaimed =
  /** Its connection was disabled (or removed) since the run began. */
  | { kind: 'receiver-disabled' }
  /** Another run holds it: its claim lapses in this long (0 when it has, or there is none). */
  | { kind: 'held'; lapsesInMs: number };

/** Why claimPost found nothing to claim (only asked then: off the per-CDR path). */
export async function whyNotClaimed(pool: Pool, lane: Lane, id: string, leaseMs: number): Promise<NotClaimed> {
  const result = await pool.query<{ enabled: boolean; remaining_ms: number | null }>(
    `SELECT ${RECEIVER_ENABLED} AS enabled,
            (SELECT greatest(extract(epoch FROM post_started_at + make_interval(secs => $5) - now()) * 1000, 0)::float8
             FROM deliveries WHERE ${LANE} AND cdr_id = $4 AND post_owner IS NOT NULL) AS remaining_ms`,
    [...laneParams(lane), id, leaseMs / 1000],
  );
  const row = result.rows[0];
  if (row && !row.enabled) return { kind: 'receiver-disabled' };
  return { kind: 'held', lapsesInMs: Math.ceil(row?.remaining_ms ?? 0) };
}
