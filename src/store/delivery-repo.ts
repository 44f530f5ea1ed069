/**
 * The outcome of a CDR at one receiver (a lane, table deliveries, migration 009), and the
 * CDR's overall state that follows from its lanes: it stays `queued` while any receiver
 * still waits for it, and is settled (`sent`, or `rejected` when a receiver refused it) by
 * the write that settles its last lane. The cdrs row mirrors each attempt's count and
 * error, so operators read one row per CDR.
 */
import type { Pool, PoolClient } from 'pg';
import type { Party } from '../ocpi/party';
import { type CdrKey } from '../ocpi/party';
import type { CdrStatus } from './cdr-repo';
import { type Lane } from '../receivers/receiver';
import { inTransaction } from './transaction';

/** A CDR that left its queue with this write: every receiver has settled it. */
export interface SettledCdrState {
  id: string;
  status: CdrStatus;
  iopLocation: string | null;
  lastError: string | null;
  /** POSTs it took, over all its receivers. */
  attempts?: number;
  /** Rejected by a receiver, yet another took it: that copy is checked back, reconciled, creditable. */
  partlyTaken?: boolean;
}

type LaneOutcome = { status: 'sent'; location: string | null } | { status: 'rejected'; reason: string };

/**
 * Records the lane's outcome and settles the CDR when no receiver waits for it any more;
 * returns the CDR's settled state then (undefined: other receivers still wait, or another
 * run recorded this lane's outcome first). One transaction, on the CDR's row lock, so two
 * lanes settling the same CDR at once never both leave it `queued`.
 */
export async function settleDelivery(pool: Pool, lane: Lane, id: string, outcome: LaneOutcome): Promise<SettledCdrState | undefined> {
  const key = [lane.party.country_code, lane.party.party_id, id];
  const sent = outcome.status === 'sent';
  return inTransaction(pool, async (client) => {
    await client.query('SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE', key);
    const updated = await client.query(
      `WITH lane AS (
         UPDATE deliveries SET status = $5, attempts = attempts + 1, last_attempt_at = now(), next_attempt_at = NULL,
           post_started_at = NULL, post_owner = NULL, updated_at = now(),
           iop_location = CASE WHEN $6 THEN $7 ELSE iop_location END, sent_at = CASE WHEN $6 THEN now() ELSE sent_at END,
           last_error = CASE WHEN $6 THEN last_error ELSE $8 END
         WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4 AND status = 'queued'
         RETURNING 1)
       UPDATE cdrs SET attempts = attempts + 1, next_attempt_at = NULL, updated_at = now(),
         iop_location = CASE WHEN $6 THEN coalesce(iop_location, $7) ELSE iop_location END,
         post_connection = CASE WHEN $6 THEN coalesce(post_connection, $4) ELSE post_connection END,
         last_error = CASE WHEN $6 THEN last_error ELSE $8 END
       WHERE country_code = $1 AND party_id = $2 AND id = $3 AND EXISTS (SELECT 1 FROM lane)`,
      [...key, lane.connection, outcome.status, sent, sent ? outcome.location : null, sent ? null : outcome.reason],
    );
    return (updated.rowCount ?? 0) > 0 ? settleOneWhenDone(client, lane.party, id) : undefined;
  });
}

/**
 * Settles the CDRs among `ids` that no receiver waits for any more: `rejected` when a
 * receiver refused it (its reason), `sent` when every receiver that was to get it took it,
 * `rejected` too when none took it (its receivers were all removed). Their queue entries are
 * marked settled (they leave once their session workflows are told).
 */
export async function settleWhenDone(client: Pool | PoolClient, party: Party, ids: string[]): Promise<SettledCdrState[]> {
  const settled: SettledCdrState[] = [];
  for (const id of ids) {
    const one = await settleOneWhenDone(client, party, id);
    if (one) settled.push(one);
  }
  return settled;
}

/**
 * One CDR at a time, every condition on its full key: the plan is three primary-key lookups
 * whatever the statistics say (a set-based form, planned on the statistics of a young table,
 * nested its loops over the whole party and took seconds per CDR at 3,000 queued).
 */
async function settleOneWhenDone(client: Pool | PoolClient, party: Party, id: string): Promise<SettledCdrState | undefined> {
  const result = await client.query<{
    id: string;
    status: CdrStatus;
    iop_location: string | null;
    last_error: string | null;
    attempts: number;
    partly_taken: boolean;
  }>(
    `WITH outcome AS (
       SELECT coalesce(bool_or(status = 'queued'), false) AS waiting,
              coalesce(bool_or(status = 'rejected'), false) AS rejected,
              coalesce(bool_or(status = 'sent'), false) AS taken,
              (array_agg(connection || ': ' || last_error ORDER BY updated_at DESC) FILTER (WHERE status = 'rejected'))[1] AS reason
       FROM deliveries WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3),
     settled AS (
       UPDATE cdrs c SET updated_at = now(),
         status = CASE WHEN outcome.taken AND NOT outcome.rejected THEN 'sent' ELSE 'rejected' END,
         -- Also when another receiver refused it: the copy taken is reconciled from then.
         sent_at = CASE WHEN outcome.taken THEN now() ELSE c.sent_at END,
         last_error = CASE WHEN outcome.rejected THEN outcome.reason
                           WHEN NOT outcome.taken THEN 'no receiver took it: the connections it waited for were removed'
                           ELSE c.last_error END
       FROM outcome
       WHERE c.country_code = $1 AND c.party_id = $2 AND c.id = $3 AND c.status = 'queued' AND NOT outcome.waiting
       RETURNING c.id, c.status, c.iop_location, c.last_error, c.attempts, outcome.taken AND outcome.rejected AS partly_taken),
     entries AS (
       UPDATE queue_entries SET settled = true
       WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND EXISTS (SELECT 1 FROM settled))
     SELECT * FROM settled`,
    [party.country_code, party.party_id, id],
  );
  const row = result.rows[0];
  return row
    ? {
        id: row.id,
        status: row.status,
        iopLocation: row.iop_location,
        lastError: row.last_error,
        attempts: row.attempts,
        ...(row.partly_taken ? { partlyTaken: true } : {}),
      }
    : undefined;
}

/** The receiver took the CDR (see settleDelivery). */
export async function markSent(pool: Pool, lane: Lane, id: string, location: string | null): Promise<SettledCdrState | undefined> {
  return settleDelivery(pool, lane, id, { status: 'sent', location });
}

/** The receiver refused the CDR as invalid (re-sendable after a fix; see settleDelivery). */
export async function markRejected(pool: Pool, lane: Lane, id: string, reason: string): Promise<SettledCdrState | undefined> {
  return settleDelivery(pool, lane, id, { status: 'rejected', reason });
}

/**
 * One failed delivery attempt at a receiver, for operators: count, reason, when the next
 * one is due. It ends the run's claim. An attempt whose outcome is unknown (timeout, reset)
 * keeps its in-flight mark, so the next attempt asks the receiver first even if this
 * worker dies before the workflow learns of it.
 */
export async function recordFailedAttempt(
  pool: Pool,
  lane: Lane,
  id: string,
  error: string,
  nextAttemptAt: Date,
  outcomeUnknown: boolean,
  /** When the POST whose outcome is unknown started (the receiver may have the CDR since then). */
  postStartedAt: Date | null,
): Promise<void> {
  await pool.query(
    // The CDR's row is locked before its delivery, as everywhere (no deadlock with a removal).
    `WITH cdr AS (
       SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE),
     lane AS (
       UPDATE deliveries SET attempts = attempts + 1, last_error = $5, last_attempt_at = now(), next_attempt_at = $6,
         post_started_at = CASE WHEN $7 THEN coalesce($8, post_started_at) ELSE NULL END, post_owner = NULL, updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4 AND status = 'queued'
         AND EXISTS (SELECT 1 FROM cdr)
       RETURNING 1)
     UPDATE cdrs SET attempts = attempts + 1, last_error = $5, next_attempt_at = $6, updated_at = now()
     WHERE country_code = $1 AND party_id = $2 AND id = $3 AND EXISTS (SELECT 1 FROM lane)`,
    [lane.party.country_code, lane.party.party_id, id, lane.connection, error, nextAttemptAt, outcomeUnknown, postStartedAt],
  );
}

/** An invalid CDR goes to no receiver: its deliveries are skipped and its entry settled. */
export async function skipInvalidCdr(pool: Pool, key: CdrKey): Promise<void> {
  await pool.query(
    `WITH skipped AS (
       UPDATE deliveries SET status = 'skipped', post_owner = NULL, updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND status = 'queued')
     UPDATE queue_entries SET settled = true
     WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3
       AND EXISTS (SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 AND status = 'invalid')`,
    [key.country_code, key.party_id, key.id],
  );
}

/** One CDR's delivery to one receiver, for operators. */
export interface DeliveryState {
  connection: string;
  status: 'queued' | 'sent' | 'rejected' | 'skipped';
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  /** Where that receiver keeps it (the `Location` it answered), if it said. */
  iopLocation: string | null;
}

/** Where a CDR goes and how far it got at each receiver. */
export async function deliveriesOf(pool: Pool, key: CdrKey): Promise<DeliveryState[]> {
  const result = await pool.query<{
    connection: string;
    status: DeliveryState['status'];
    attempts: number;
    last_error: string | null;
    sent_at: Date | null;
    iop_location: string | null;
  }>(
    `SELECT connection, status, attempts, last_error, sent_at, iop_location FROM deliveries
     WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 ORDER BY connection`,
    [key.country_code, key.party_id, key.id],
  );
  return result.rows.map((row) => ({
    connection: row.connection,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: row.sent_at,
    iopLocation: row.iop_location,
  }));
}
