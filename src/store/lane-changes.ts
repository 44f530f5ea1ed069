/**
 * What adding or removing a receiver does to a party's queue: the multi-table rewrites of
 * deliveries and queue entries, run inside connection-repo.ts's transaction.
 */
import type { PoolClient } from 'pg';
import type { Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';
import { DEFAULT_RECEIVER } from '../receivers/receiver';
import { settleWhenDone } from './delivery-repo';

/** What a backfill queued, and what it left out on purpose. */
export interface Backfill {
  backfilled: number;
  /** Credit CDRs and the CDRs they cancel, stored since: they cancel out, so neither is sent. */
  creditedLeftOut: number;
}

/**
 * Queues the party's CDRs handed in or stored since `from` for one receiver: each gets a
 * delivery there, numbered in hand-in order, and a queue entry again if it had left the
 * queue (its overall state goes back to `queued` until the new receiver has settled it too).
 * A credit and the CDR it cancels are left out (a 2.1.1 receiver would bill a cancelled
 * session; a 2.2.1 one could get a credit of a CDR it never had). Run under the exclusive
 * receiver-set lock (src/store/receiver-set-lock.ts), so no hand-in commits between what
 * this reads and what it writes.
 */
export async function backfillLane(client: PoolClient, party: Party, name: string, version: OcpiVersion, from: Date): Promise<Backfill> {
  // $1, $2: the party; `from` and `is221`: the placeholders of the date and of "2.2.1 receiver".
  // Two sources: the queue's entries (a CDR handed in and not built yet is there, not in
  // cdrs) and the CDRs stored since, settled and gone from the queue.
  const candidates = (from: string, is221: string) => `
    SELECT q.cdr_id AS id, q.session_id, coalesce(c.created_at, q.enqueued_at) AS created_at
    FROM queue_entries q
    LEFT JOIN cdrs c ON c.country_code = $1 AND c.party_id = $2 AND c.id = q.cdr_id
    WHERE q.country_code = $1 AND q.party_id = $2 AND coalesce(c.created_at, q.enqueued_at) >= ${from}
      -- Not stored yet: its form is not known; one without the form this receiver takes is
      -- set aside there once stored (visible, replayable).
      AND (c.id IS NULL OR (c.status <> 'invalid' AND ${takesForm(is221)} AND NOT ${CREDITED}))
    UNION ALL
    SELECT c.id, c.session_id, c.created_at FROM cdrs c
    WHERE c.country_code = $1 AND c.party_id = $2 AND c.created_at >= ${from}
      AND c.status IN ('sent', 'rejected') AND ${takesForm(is221)} AND NOT ${CREDITED}
      AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = c.id)`;
  // Locked first: a lane settling one of them meanwhile commits before this reads it, or after.
  await client.query(
    `SELECT id FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id IN (SELECT id FROM (${candidates('$3', '$4')}) candidate)
     ORDER BY id FOR UPDATE`,
    [party.country_code, party.party_id, from, version === '2.2.1'],
  );
  const result = await client.query(
    `WITH stored AS (
       SELECT candidate.*,
              (SELECT min(d.seq) FROM deliveries d
               WHERE d.country_code = $1 AND d.party_id = $2 AND d.cdr_id = candidate.id AND d.seq > 0) AS handed_in
       FROM (${candidates('$4', '$5')}) candidate),
     wanted AS (
       -- Hand-in order: the place its other deliveries took; before migration 009 (no place
       -- kept), the order stored, ahead of everything handed in since.
       SELECT * FROM stored ORDER BY handed_in IS NOT NULL, handed_in, created_at, id),
     numbered AS (
       SELECT wanted.*, nextval(pg_get_serial_sequence('queue_entries', 'seq')) AS seq FROM wanted),
     lanes AS (
       INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
       SELECT $1, $2, numbered.id, $3, numbered.seq FROM numbered
       ON CONFLICT DO NOTHING
       RETURNING cdr_id, seq),
     entries AS (
       INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at, seq)
       SELECT $1, $2, numbered.id, numbered.session_id, now(), numbered.seq FROM numbered JOIN lanes ON lanes.cdr_id = numbered.id
       ON CONFLICT (country_code, party_id, cdr_id) DO UPDATE SET settled = false),
     reopened AS (
       UPDATE cdrs SET status = 'queued', updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND id IN (SELECT cdr_id FROM lanes) AND status IN ('sent', 'rejected'))
     SELECT count(*) AS backfilled FROM lanes`,
    [party.country_code, party.party_id, name, from, version === '2.2.1'],
  );
  const leftOut = await client.query<{ count: string }>(
    `SELECT count(*) FROM cdrs c WHERE c.country_code = $1 AND c.party_id = $2 AND c.created_at >= $3 AND ${CREDITED}`,
    [party.country_code, party.party_id, from],
  );
  return { backfilled: Number(result.rows[0]?.backfilled ?? 0), creditedLeftOut: Number(leftOut.rows[0]?.count ?? 0) };
}

/** SQL: the CDR `c` of party ($1, $2) is a credit, or one a credit cancels. */
const CREDITED = `(c.credit_of IS NOT NULL OR EXISTS (
  SELECT 1 FROM cdrs k WHERE k.country_code = $1 AND k.party_id = $2 AND k.credit_of = c.id))`;

/**
 * The form this receiver takes (a credit CDR has no 2.1.1 one; a session without cdr_token
 * no 2.2.1 one): the others would only be set aside there.
 */
const takesForm = (is221: string) => `CASE WHEN ${is221} THEN c.cdr_221 IS NOT NULL ELSE c.cdr IS NOT NULL END`;

/**
 * The CDRs that waited for a connection just deleted: they go to IOP_* when it was the
 * party's last connection; otherwise they will not be sent there, and those no other
 * receiver waits for are settled.
 */
export async function releaseWaitingDeliveries(
  client: PoolClient,
  party: Party,
  name: string,
): Promise<{ movedToDefault: number; dropped: number }> {
  const lane = [party.country_code, party.party_id, name];
  // The CDRs that waited for it, locked before their deliveries (as a lane settling them does).
  const waiting = await client.query<{ id: string }>(
    `SELECT id FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id IN (
         SELECT cdr_id FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued')
       ORDER BY id FOR UPDATE`,
    lane,
  );
  const waitingIds = waiting.rows.map((row) => row.id);
  const left = await client.query('SELECT 1 FROM connections WHERE country_code = $1 AND party_id = $2 LIMIT 1', lane.slice(0, 2));
  if (left.rowCount === 0) {
    const moved = await client.query<{ cdr_id: string }>(
      `WITH waiting AS (
           DELETE FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued'
           RETURNING cdr_id, seq, attempts, last_error, post_started_at, post_owner)
         -- With their in-flight marks and claims: a POST whose outcome is unknown (or still on
         -- the wire) may have reached the hub IOP_* names too, so it is looked up there first.
         INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq, attempts, last_error, post_started_at, post_owner)
         SELECT $1, $2, cdr_id, $4, seq, attempts, last_error, post_started_at, post_owner FROM waiting
         -- IOP_* took some of them before (their history from before connections): not again.
         ON CONFLICT (country_code, party_id, cdr_id, connection) DO UPDATE
           SET status = 'queued', seq = excluded.seq, attempts = excluded.attempts, last_error = excluded.last_error,
               post_started_at = excluded.post_started_at, post_owner = excluded.post_owner
           WHERE deliveries.status = 'skipped'
         RETURNING cdr_id`,
      [...lane, DEFAULT_RECEIVER],
    );
    // Those IOP_* already had settle now, with nothing left to wait for.
    const movedIds = new Set(moved.rows.map((row) => row.cdr_id));
    await settleWhenDone(
      client,
      party,
      waitingIds.filter((id) => !movedIds.has(id)),
    );
    return { movedToDefault: moved.rowCount ?? 0, dropped: 0 };
  }
  const skipped = await client.query<{ cdr_id: string }>(
    `UPDATE deliveries SET status = 'skipped', post_owner = NULL, updated_at = now(),
         last_error = 'its connection was removed while it waited'
       WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued'
       RETURNING cdr_id`,
    lane,
  );
  await settleWhenDone(
    client,
    party,
    skipped.rows.map((row) => row.cdr_id),
  );
  return { movedToDefault: 0, dropped: skipped.rowCount ?? 0 };
}
