/**
 * Reads and writes of the cdrs table, one statement per function. The table keeps each
 * CDR's body (sent to the IOP from here: workflows carry only ids) and its delivery state.
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';
import type { CdrKey } from './cdr-key';

export type CdrStatus = 'queued' | 'sent' | 'rejected' | 'invalid';
export type CheckStatus = 'match' | 'mismatch' | 'not_possible';

export interface CdrRow extends CdrKey {
  session_id: string;
  cdr: unknown;
  last_updated: Date;
  status: CdrStatus;
  validation_errors: string[] | null;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  post_started_at: Date | null;
  next_attempt_at: Date | null;
  iop_location: string | null;
  sent_at: Date | null;
  check_status: CheckStatus | null;
  check_detail: string | null;
}

export interface NewCdr extends CdrKey {
  session_id: string;
  /** The CDR as built; for an invalid one, whatever could be built, kept for the operator. */
  cdr: unknown;
  last_updated: Date;
  status: 'queued' | 'invalid';
  validation_errors?: string[];
}

const KEY = 'country_code = $1 AND party_id = $2 AND id = $3';
const keyParams = (key: CdrKey) => [key.country_code, key.party_id, key.id];

/**
 * Stores a newly built CDR. A CDR already stored (a rebuild of the same session) is kept
 * as it is, since it may already be on its way: the stored row is returned either way.
 */
export async function insertCdr(pool: Pool, row: NewCdr): Promise<CdrRow> {
  const inserted = await pool.query<CdrRow>(
    `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status, validation_errors)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (country_code, party_id, id) DO NOTHING
     RETURNING *`,
    [
      row.country_code,
      row.party_id,
      row.id,
      row.session_id,
      JSON.stringify(row.cdr),
      row.last_updated,
      row.status,
      row.validation_errors ? JSON.stringify(row.validation_errors) : null,
    ],
  );
  const stored = inserted.rows[0] ?? (await findCdr(pool, row));
  if (!stored) throw new Error(`CDR ${row.id} vanished right after insert`);
  return stored;
}

export async function findCdr(pool: Pool, key: CdrKey): Promise<CdrRow | undefined> {
  const result = await pool.query<CdrRow>(`SELECT * FROM cdrs WHERE ${KEY}`, keyParams(key));
  return result.rows[0];
}

export async function findCdrBySession(
  pool: Pool,
  party: { country_code: string; party_id: string },
  sessionId: string,
): Promise<CdrRow | undefined> {
  const result = await pool.query<CdrRow>(
    'SELECT * FROM cdrs WHERE country_code = $1 AND party_id = $2 AND session_id = $3',
    [party.country_code, party.party_id, sessionId],
  );
  return result.rows[0];
}

export interface PostClaim {
  id: string;
  cdr: unknown;
  /** A previous POST started and never finished: the worker died while it was on the wire. */
  interruptedPostAt: Date | null;
}

/**
 * Marks queued CDRs of one party as being POSTed and returns their bodies, in one
 * statement. CDRs that are not queued (already sent, rejected, invalid, unknown) are left
 * out of the result.
 */
export async function startPosts(pool: Pool, party: Party, ids: string[]): Promise<Map<string, PostClaim>> {
  const result = await pool.query<{ id: string; cdr: unknown; interrupted_post_at: Date | null }>(
    `WITH previous AS (
       SELECT id, post_started_at FROM cdrs
       WHERE country_code = $1 AND party_id = $2 AND id = ANY($3) AND status = 'queued'
       FOR UPDATE)
     UPDATE cdrs SET post_started_at = now()
     FROM previous
     WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = previous.id
     RETURNING cdrs.id, cdrs.cdr, previous.post_started_at AS interrupted_post_at`,
    [party.country_code, party.party_id, ids],
  );
  return new Map(result.rows.map((row) => [row.id, { id: row.id, cdr: row.cdr, interruptedPostAt: row.interrupted_post_at }]));
}

/** Undoes startPosts for CDRs that were claimed but not POSTed after all. */
export async function releasePosts(pool: Pool, party: Party, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE cdrs SET post_started_at = NULL
     WHERE country_code = $1 AND party_id = $2 AND id = ANY($3) AND status = 'queued'`,
    [party.country_code, party.party_id, ids],
  );
}

/** One failed delivery attempt, for operators: count, reason, when the next one is due. */
export async function recordFailedAttempt(
  pool: Pool,
  key: CdrKey,
  error: string,
  nextAttemptAt: Date,
  outcomeUnknown: boolean,
): Promise<void> {
  // An attempt whose outcome is unknown (timeout, reset) keeps its in-flight mark, so the
  // next attempt asks the IOP first even if this worker dies before the workflow learns it.
  await pool.query(
    `UPDATE cdrs SET attempts = attempts + 1, last_error = $4, last_attempt_at = now(),
       next_attempt_at = $5, post_started_at = CASE WHEN $6 THEN post_started_at ELSE NULL END, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), error, nextAttemptAt, outcomeUnknown],
  );
}

export async function markSent(pool: Pool, key: CdrKey, location: string | null): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET status = 'sent', attempts = attempts + 1, iop_location = $4, sent_at = now(),
       last_attempt_at = now(), next_attempt_at = NULL, post_started_at = NULL, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), location],
  );
}

export async function markRejected(pool: Pool, key: CdrKey, reason: string): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET status = 'rejected', attempts = attempts + 1, last_error = $4,
       last_attempt_at = now(), next_attempt_at = NULL, post_started_at = NULL, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), reason],
  );
}

export async function recordCheck(pool: Pool, key: CdrKey, status: CheckStatus, detail: string): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET check_status = $4, check_detail = $5, checked_at = now(), updated_at = now() WHERE ${KEY}`,
    [...keyParams(key), status, detail],
  );
}

/**
 * Operator re-send: a rejected CDR goes back to queued, keeping its attempt history. A CDR
 * already queued is accepted too, so a retried call (its first run committed) still
 * answers, and a queued CDR that fell out of its queue can be put back.
 */
export async function requeueRejectedCdr(pool: Pool, key: CdrKey): Promise<{ sessionId: string } | undefined> {
  const result = await pool.query<{ session_id: string }>(
    `UPDATE cdrs SET status = 'queued', next_attempt_at = NULL, updated_at = now()
     WHERE ${KEY} AND status IN ('rejected', 'queued')
     RETURNING session_id`,
    keyParams(key),
  );
  const row = result.rows[0];
  return row ? { sessionId: row.session_id } : undefined;
}

/** Operator replay: forget a CDR that never reached the IOP (invalid or rejected), so it can be rebuilt. */
export async function deleteUnsentCdr(pool: Pool, key: CdrKey): Promise<boolean> {
  const result = await pool.query(`DELETE FROM cdrs WHERE ${KEY} AND status IN ('invalid', 'rejected')`, keyParams(key));
  return (result.rowCount ?? 0) > 0;
}
