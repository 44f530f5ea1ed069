/**
 * Who may POST a CDR now. A run of POSTs claims each CDR right before it asks the IOP about
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
   * A POST of this CDR may have reached the IOP before (set when an earlier attempt's
   * outcome is unknown, or a run died or was abandoned holding the claim): ask the IOP
   * before POSTing. The time that earlier POST started.
   */
  earlierPostAt: Date | null;
  /**
   * The connection that earlier POST went to (null: recorded before connections existed).
   * Without an earlier POST, the connection this claim was taken for.
   */
  postConnection: string | null;
}

/**
 * Claims the queued CDRs among `ids` that no other live run holds, and returns their
 * bodies (one statement). CDRs not queued, or held by another run, are left out.
 */
export async function claimPosts(
  pool: Pool,
  party: Party,
  ids: string[],
  run: {
    /** Unique to this run. */
    owner: string;
    /** How long a claim holds (a check and a POST, with room to spare). */
    leaseMs: number;
    /** A run POSTs up to this long after its claim (after a check): the latest a lapsed claim's POST may have begun. */
    postDelayMs: number;
    /** The connection the run POSTs to (recorded as post_connection unless an earlier POST's is kept). */
    connection: string;
  },
): Promise<Map<string, PostClaim>> {
  if (ids.length === 0) return new Map();
  // The claim time is the in-flight mark of every claimed CDR. A lapsed claim's run may have
  // POSTed a little later: the settle delay before believing "unknown CDR" counts from then.
  const result = await pool.query<{ id: string; cdr: unknown; cdr_221: unknown; earlier_post_at: Date | null; post_connection: string | null }>(
    `WITH claimable AS (
       SELECT id, post_started_at, post_owner FROM cdrs
       WHERE country_code = $1 AND party_id = $2 AND id = ANY($3) AND status = 'queued'
         AND (post_owner IS NULL OR post_started_at < now() - make_interval(secs => $5))
       FOR UPDATE)
     UPDATE cdrs SET post_started_at = now(), post_owner = $4,
       post_connection = CASE WHEN claimable.post_started_at IS NULL THEN $7 ELSE cdrs.post_connection END
     FROM claimable
     WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = claimable.id
     RETURNING cdrs.id, cdrs.cdr, cdrs.cdr_221, cdrs.post_connection,
       CASE WHEN claimable.post_owner IS NULL THEN claimable.post_started_at
            ELSE claimable.post_started_at + make_interval(secs => $6) END AS earlier_post_at`,
    [party.country_code, party.party_id, ids, run.owner, run.leaseMs / 1000, run.postDelayMs / 1000, run.connection],
  );
  return new Map(
    result.rows.map((row) => [
      row.id,
      { id: row.id, cdr: row.cdr, cdr221: row.cdr_221, earlierPostAt: row.earlier_post_at, postConnection: row.post_connection },
    ]),
  );
}

/**
 * Ends this run's claims that are still open (its recorded outcomes ended the others).
 * The CDRs in `keepMark` (POSTed by this run, or reached by an earlier POST) keep their
 * in-flight mark, so they are looked up at the IOP before any further POST.
 */
export async function releaseClaims(pool: Pool, party: Party, owner: string, ids: string[], keepMark: string[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE cdrs SET post_owner = NULL, post_started_at = CASE WHEN id = ANY($5) THEN post_started_at ELSE NULL END
     WHERE country_code = $1 AND party_id = $2 AND id = ANY($3) AND post_owner = $4 AND status = 'queued'`,
    [party.country_code, party.party_id, ids, owner, keepMark],
  );
}

/** How long until another run's claim on this CDR lapses (0 when it has, or there is none). */
export async function claimLapsesInMs(pool: Pool, party: Party, id: string, leaseMs: number): Promise<number> {
  const result = await pool.query<{ remaining_ms: number | null }>(
    `SELECT greatest(extract(epoch FROM post_started_at + make_interval(secs => $4) - now()) * 1000, 0)::float8 AS remaining_ms
     FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 AND post_owner IS NOT NULL`,
    [party.country_code, party.party_id, id, leaseMs / 1000],
  );
  return Math.ceil(result.rows[0]?.remaining_ms ?? 0);
}

/** The connection a POST is about to go to, written before it leaves (its outcome may stay unknown). */
export async function recordPostConnection(pool: Pool, party: Party, id: string, connection: string): Promise<void> {
  await pool.query('UPDATE cdrs SET post_connection = $4 WHERE country_code = $1 AND party_id = $2 AND id = $3', [
    party.country_code,
    party.party_id,
    id,
    connection,
  ]);
}
