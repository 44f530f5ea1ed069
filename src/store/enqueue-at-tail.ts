/**
 * Puts a CDR the store just made (a credit, a re-issue) at the tail of its party's queue,
 * with a delivery for each receiver given: behind everything handed in before, so it
 * reaches each receiver after the CDRs it refers to. Runs in the caller's transaction.
 */
import type { PoolClient } from 'pg';
import type { CdrKey } from '../ocpi/party';

export async function enqueueAtTail(client: PoolClient, cdr: CdrKey & { session_id: string }, receivers: string[]): Promise<void> {
  await client.query(
    `WITH queued AS (
       INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
       VALUES ($1, $2, $3, $4, now()) RETURNING seq)
     INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
     SELECT $1, $2, $3, receiver, queued.seq FROM queued CROSS JOIN unnest($5::text[]) AS receiver`,
    [cdr.country_code, cdr.party_id, cdr.id, cdr.session_id, receivers],
  );
}
