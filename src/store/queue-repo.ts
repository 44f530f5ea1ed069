/**
 * Each CPO party's delivery queue, in hand-in order (table queue_entries, migration 004).
 * The queue workflow writes hand-ins here in the order its signals arrived and reads the
 * head from here; nothing else about the queue's content lives in Temporal.
 */
import type { Pool } from 'pg';
import type { Party } from '../ocpi/party';
import { type CdrKey } from '../ocpi/party';
import type { CdrStatus } from './cdr-repo';
import type { HandIn } from '../../workflows/definitions';
import { settleUnservedEntries } from './delivery-repair';
import { withReceiverSetShared } from './receiver-set-lock';

/**
 * The tail of a statement whose CTE `queued` (cdr_id, seq) took new places in the party's
 * queue ($1, $2): each gets a delivery per receiver of the party at this moment (migration
 * 009), in the same place; the statement returns the queued ids.
 */
const DELIVERIES_OF_QUEUED = `,
     lanes AS (
       INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
       SELECT $1, $2, queued.cdr_id, receiver, queued.seq FROM queued CROSS JOIN cdrflow_receivers($1, $2) AS receiver
       -- One skipped before (its CDR was invalid, and is being rebuilt) waits again; a receiver
       -- that took the CDR keeps it.
       ON CONFLICT (country_code, party_id, cdr_id, connection) DO UPDATE
         SET status = 'queued', seq = excluded.seq, updated_at = now() WHERE deliveries.status = 'skipped')
     SELECT cdr_id FROM queued`;

/**
 * Takes each CDR's place at the tail, in the given order. A CDR already queued keeps its
 * place; one that already left the queue (sent, rejected, invalid) is not queued again.
 * Returns the ids that were queued by this call.
 */
export async function recordHandIns(pool: Pool, party: Party, handIns: HandIn[]): Promise<string[]> {
  if (handIns.length === 0) return [];
  // Rows are inserted in ORDER BY order, so the sequence numbers follow the arrival order.
  // Each new entry gets a delivery per receiver of the party at this moment (migration 009),
  // in the same place.
  const result = await withReceiverSetShared(pool, party, async (client) => {
    const written = await client.query<{ cdr_id: string }>(
      `WITH queued AS (
       INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
       SELECT $1, $2, hand_in.cdr_id, hand_in.session_id, hand_in.enqueued_at
       FROM unnest($3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY
            AS hand_in(cdr_id, session_id, enqueued_at, arrival)
       WHERE NOT EXISTS (
         SELECT 1 FROM cdrs
         WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = hand_in.cdr_id AND cdrs.status <> 'queued')
       ORDER BY hand_in.arrival
       ON CONFLICT (country_code, party_id, cdr_id) DO NOTHING
       RETURNING cdr_id, seq)${DELIVERIES_OF_QUEUED}`,
      [
        party.country_code,
        party.party_id,
        handIns.map((handIn) => handIn.cdrId),
        handIns.map((handIn) => handIn.sessionId),
        handIns.map((handIn) => new Date(handIn.at)),
      ],
    );
    // A CDR every receiver holds already (a replay of one the others took) waits for nobody.
    await settleUnservedEntries(
      client,
      party,
      written.rows.map((row) => row.cdr_id),
    );
    return written;
  });
  return result.rows.map((row) => row.cdr_id);
}

export interface HeadEntry {
  cdrId: string;
  sessionId: string;
  enqueuedAt: Date;
  /** null while the CDR is not stored yet (its session workflow is still building it). */
  status: CdrStatus | null;
}

/**
 * The first `limit` CDRs waiting for one receiver (a lane), in its order, with the state of
 * their CDRs. Reads that lane's deliveries only: another receiver's backlog costs it nothing.
 */
export async function readLaneHead(pool: Pool, party: Party, connection: string, limit: number): Promise<HeadEntry[]> {
  const result = await pool.query<{ cdr_id: string; session_id: string; enqueued_at: Date; status: CdrStatus | null }>(
    `SELECT head.cdr_id, q.session_id, q.enqueued_at, cdrs.status
     FROM (SELECT cdr_id, seq FROM deliveries
           WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued' ORDER BY seq LIMIT $4) head
     JOIN queue_entries q ON q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = head.cdr_id
     LEFT JOIN cdrs ON cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = head.cdr_id
     ORDER BY head.seq`,
    [party.country_code, party.party_id, connection, limit],
  );
  return result.rows.map((row) => ({
    cdrId: row.cdr_id,
    sessionId: row.session_id,
    enqueuedAt: row.enqueued_at,
    status: row.status,
  }));
}

/** A queue entry every receiver has settled, whose session workflow is still to be told. */
export interface SettledEntry {
  cdrId: string;
  sessionId: string;
  status: CdrStatus;
  iopLocation: string | null;
  lastError: string | null;
  attempts: number;
  /** Rejected by a receiver while another took it. */
  partlyTaken: boolean;
}

/**
 * Up to `limit` entries settled by every receiver and not taken off the queue yet (a run that
 * settled them died before telling their session workflows, or could not reach Temporal).
 */
export async function readSettledEntries(pool: Pool, party: Party, limit: number): Promise<SettledEntry[]> {
  const result = await pool.query<{
    cdr_id: string;
    session_id: string;
    status: CdrStatus;
    iop_location: string | null;
    last_error: string | null;
    attempts: number;
    partly_taken: boolean;
  }>(
    `SELECT q.cdr_id, q.session_id, cdrs.status, cdrs.iop_location, cdrs.last_error, cdrs.attempts,
            cdrs.status = 'rejected' AND EXISTS (
              SELECT 1 FROM deliveries d WHERE d.country_code = $1 AND d.party_id = $2 AND d.cdr_id = q.cdr_id AND d.status = 'sent') AS partly_taken
     FROM (SELECT cdr_id, session_id, seq FROM queue_entries
           WHERE country_code = $1 AND party_id = $2 AND settled ORDER BY seq LIMIT $3) q
     JOIN cdrs ON cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = q.cdr_id
     ORDER BY q.seq`,
    [party.country_code, party.party_id, limit],
  );
  return result.rows.map((row) => ({
    cdrId: row.cdr_id,
    sessionId: row.session_id,
    status: row.status,
    iopLocation: row.iop_location,
    lastError: row.last_error,
    attempts: row.attempts,
    partlyTaken: row.partly_taken,
  }));
}

/**
 * Takes CDRs every receiver has settled off the queue, once their session workflows were
 * told (or had nobody to tell).
 */
export async function removeSettledEntries(pool: Pool, party: Party, cdrIds: string[]): Promise<void> {
  if (cdrIds.length === 0) return;
  await pool.query(`DELETE FROM queue_entries WHERE country_code = $1 AND party_id = $2 AND cdr_id = ANY($3) AND settled`, [
    party.country_code,
    party.party_id,
    cdrIds,
  ]);
}

/**
 * Takes a hand-in off the queue whose CDR will never be stored (its session workflow never
 * ran, or cannot run again). Only while no CDR is stored for it: a CDR stored meanwhile
 * keeps its place. True when the entry was removed.
 */
export async function dropUnstoredEntry(pool: Pool, key: CdrKey): Promise<boolean> {
  const result = await pool.query(
    `WITH dropped AS (
       DELETE FROM queue_entries
       WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3
         AND NOT EXISTS (SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3)
       RETURNING cdr_id),
     lanes AS (
       DELETE FROM deliveries WHERE country_code = $1 AND party_id = $2 AND cdr_id IN (SELECT cdr_id FROM dropped))
     SELECT cdr_id FROM dropped`,
    [key.country_code, key.party_id, key.id],
  );
  return (result.rowCount ?? 0) > 0;
}

export interface QueueSummary {
  depth: number;
  headCdrId: string | null;
  oldestEnqueuedAt: Date | null;
}

/**
 * Depth, head and age of a party's queue, for operators: the hand-ins whose CDR is not
 * settled yet (counts the whole queue).
 */
export async function summarizeQueue(pool: Pool, party: Party): Promise<QueueSummary> {
  const result = await pool.query<{ depth: number; head: string | null; oldest: Date | null }>(
    `WITH waiting AS (
       SELECT q.cdr_id, q.seq, q.enqueued_at FROM queue_entries q
       WHERE q.country_code = $1 AND q.party_id = $2 AND NOT q.settled)
     SELECT count(*) AS depth, (SELECT cdr_id FROM waiting ORDER BY seq LIMIT 1) AS head, min(enqueued_at) AS oldest
     FROM waiting`,
    [party.country_code, party.party_id],
  );
  const row = result.rows[0];
  return { depth: Number(row?.depth ?? 0), headCdrId: row?.head ?? null, oldestEnqueuedAt: row?.oldest ?? null };
}

/**
 * Queues one party's CDRs stored as `queued` before `storedBefore` that have no queue
 * entry, in the order they were stored: their hand-ins were lost with a queue workflow
 * that is gone. Called by a queue workflow that starts afresh, with its start time: a CDR
 * stored since may have its hand-in on the way to that run, which then keeps its place.
 * Returns how many were queued.
 */
export async function queueOrphanedCdrs(pool: Pool, party: Party, storedBefore: Date): Promise<number> {
  const result = await withReceiverSetShared(pool, party, (client) =>
    client.query(
      `WITH queued AS (
       INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
       SELECT c.country_code, c.party_id, c.id, c.session_id, c.created_at FROM cdrs c
       WHERE c.country_code = $1 AND c.party_id = $2 AND c.status = 'queued' AND c.created_at < $3
         AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = c.id)
       ORDER BY c.created_at, c.id
       ON CONFLICT (country_code, party_id, cdr_id) DO NOTHING
       RETURNING cdr_id, seq)${DELIVERIES_OF_QUEUED}`,
      [party.country_code, party.party_id, storedBefore],
    ),
  );
  return result.rowCount ?? 0;
}

/** The parties with something to deliver: a queue entry, or a CDR stored as queued without one. */
export async function partiesWithQueues(pool: Pool, party?: Party): Promise<Party[]> {
  const result = await pool.query<Party>(
    `SELECT country_code, party_id FROM queue_entries WHERE $1::text IS NULL OR (country_code = $1 AND party_id = $2)
     UNION
     SELECT country_code, party_id FROM cdrs WHERE status = 'queued' AND ($1::text IS NULL OR (country_code = $1 AND party_id = $2))
     ORDER BY 1, 2`,
    [party?.country_code ?? null, party?.party_id ?? null],
  );
  return result.rows;
}

/** CDRs waiting for each receiver of a party (its lanes' depths). */
export async function laneDepths(pool: Pool, party: Party): Promise<Map<string, { depth: number; oldestWaitingSince: Date | null }>> {
  // The oldest waiting CDR's time as a backfill compares it (stored, else handed in): a
  // replacement receiver added with --backfill-from that time gets all of them.
  const result = await pool.query<{ connection: string; depth: string; oldest: Date | null }>(
    `SELECT d.connection, count(*) AS depth, min(coalesce(c.created_at, q.enqueued_at)) AS oldest
     FROM deliveries d
     LEFT JOIN queue_entries q ON q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = d.cdr_id
     LEFT JOIN cdrs c ON c.country_code = $1 AND c.party_id = $2 AND c.id = d.cdr_id
     WHERE d.country_code = $1 AND d.party_id = $2 AND d.status = 'queued' GROUP BY d.connection`,
    [party.country_code, party.party_id],
  );
  return new Map(result.rows.map((row) => [row.connection, { depth: Number(row.depth), oldestWaitingSince: row.oldest }]));
}

/** Whether CDRs wait for this receiver of the party (one index probe). */
export async function hasWaitingDeliveries(pool: Pool, party: Party, connection: string): Promise<boolean> {
  const result = await pool.query(
    `SELECT 1 FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued' LIMIT 1`,
    [party.country_code, party.party_id, connection],
  );
  return (result.rowCount ?? 0) > 0;
}
