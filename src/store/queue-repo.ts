/**
 * Each CPO party's delivery queue, in hand-in order (table queue_entries, migration 004).
 * The queue workflow writes hand-ins here in the order its signals arrived and reads the
 * head from here; nothing else about the queue's content lives in Temporal.
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';
import type { CdrKey } from './cdr-key';
import type { CdrStatus } from './cdr-repo';

export interface HandIn {
  cdrId: string;
  sessionId: string;
  /** When the queue learnt of it (ms since epoch). */
  at: number;
}

/**
 * Takes each CDR's place at the tail, in the given order. A CDR already queued keeps its
 * place; one that already left the queue (sent, rejected, invalid) is not queued again.
 * Returns the ids that were queued by this call.
 */
export async function recordHandIns(pool: Pool, party: Party, handIns: HandIn[]): Promise<string[]> {
  if (handIns.length === 0) return [];
  // Rows are inserted in ORDER BY order, so the sequence numbers follow the arrival order.
  const result = await pool.query<{ cdr_id: string }>(
    `INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
     SELECT $1, $2, hand_in.cdr_id, hand_in.session_id, hand_in.enqueued_at
     FROM unnest($3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY
          AS hand_in(cdr_id, session_id, enqueued_at, arrival)
     WHERE NOT EXISTS (
       SELECT 1 FROM cdrs
       WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = hand_in.cdr_id AND cdrs.status <> 'queued')
     ORDER BY hand_in.arrival
     ON CONFLICT (country_code, party_id, cdr_id) DO NOTHING
     RETURNING cdr_id`,
    [
      party.country_code,
      party.party_id,
      handIns.map((handIn) => handIn.cdrId),
      handIns.map((handIn) => handIn.sessionId),
      handIns.map((handIn) => new Date(handIn.at)),
    ],
  );
  return result.rows.map((row) => row.cdr_id);
}

export interface HeadEntry {
  cdrId: string;
  sessionId: string;
  enqueuedAt: Date;
  /** null while the CDR is not stored yet (its session workflow is still building it). */
  status: CdrStatus | null;
  /** For a CDR already settled in the store: where the IOP keeps it, or why it was refused. */
  iopLocation: string | null;
  lastError: string | null;
}

/** The first `limit` entries of a party's queue, in order, with the state of their CDRs. */
export async function readQueueHead(pool: Pool, party: Party, limit: number): Promise<HeadEntry[]> {
  const result = await pool.query<{
    cdr_id: string;
    session_id: string;
    enqueued_at: Date;
    status: CdrStatus | null;
    iop_location: string | null;
    last_error: string | null;
  }>(
    `SELECT head.cdr_id, head.session_id, head.enqueued_at, cdrs.status, cdrs.iop_location, cdrs.last_error
     FROM (SELECT cdr_id, session_id, enqueued_at, seq FROM queue_entries
           WHERE country_code = $1 AND party_id = $2 ORDER BY seq LIMIT $3) head
     LEFT JOIN cdrs ON cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = head.cdr_id
     ORDER BY head.seq`,
    [party.country_code, party.party_id, limit],
  );
  return result.rows.map((row) => ({
    cdrId: row.cdr_id,
    sessionId: row.session_id,
    enqueuedAt: row.enqueued_at,
    status: row.status,
    iopLocation: row.iop_location,
    lastError: row.last_error,
  }));
}

/**
 * Takes CDRs that are no longer queued in the store (sent, rejected, invalid) off the
 * queue, once the queue workflow has reported them to their session workflows.
 */
export async function removeSettledEntries(pool: Pool, party: Party, cdrIds: string[]): Promise<void> {
  if (cdrIds.length === 0) return;
  await pool.query(
    `DELETE FROM queue_entries q
     WHERE q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = ANY($3)
       AND EXISTS (SELECT 1 FROM cdrs
                   WHERE cdrs.country_code = $1 AND cdrs.party_id = $2 AND cdrs.id = q.cdr_id AND cdrs.status <> 'queued')`,
    [party.country_code, party.party_id, cdrIds],
  );
}

/**
 * Takes a hand-in off the queue whose CDR will never be stored (its session workflow never
 * ran, or cannot run again). Only while no CDR is stored for it: a CDR stored meanwhile
 * keeps its place. True when the entry was removed.
 */
export async function dropUnstoredEntry(pool: Pool, key: CdrKey): Promise<boolean> {
  const result = await pool.query(
    `DELETE FROM queue_entries
     WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3
       AND NOT EXISTS (SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3)`,
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
       LEFT JOIN cdrs c ON c.country_code = q.country_code AND c.party_id = q.party_id AND c.id = q.cdr_id
       WHERE q.country_code = $1 AND q.party_id = $2 AND (c.status IS NULL OR c.status = 'queued'))
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
  const result = await pool.query(
    `INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
     SELECT c.country_code, c.party_id, c.id, c.session_id, c.created_at FROM cdrs c
     WHERE c.country_code = $1 AND c.party_id = $2 AND c.status = 'queued' AND c.created_at < $3
       AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = c.id)
     ORDER BY c.created_at, c.id
     ON CONFLICT (country_code, party_id, cdr_id) DO NOTHING`,
    [party.country_code, party.party_id, storedBefore],
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
