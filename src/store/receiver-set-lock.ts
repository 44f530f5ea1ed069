/**
 * "Who receives this party's CDRs" is decided by each writer of new deliveries from what it
 * reads of `connections` (cdrflow_receivers, migration 009). Without a lock, a hand-in that
 * read the receivers before a connection was added commits after the add's backfill has
 * looked, and its CDR never reaches the new receiver. So the writers of new deliveries
 * (hand-in, orphan adoption, resend, credit) hold this per-party lock shared, and a change of
 * the receiver set (add, enable, disable, remove) holds it exclusive: each sees the other's
 * work committed, or none of it. Transaction-scoped: released at commit or rollback.
 *
 * Statements after the lock read a fresh snapshot (READ COMMITTED), which is why the lock is
 * its own statement, never a CTE of the statement that reads the receivers.
 */
import type { PoolClient } from 'pg';
import type { Party } from '../ocpi/party';

/** The lock's class: the first key of the two-key advisory lock space ("CDRF"). */
const RECEIVER_SET_LOCK_CLASS = 0x43445246;

/** Held until the transaction ends; other writers of new deliveries may hold it too. */
export async function lockReceiverSetShared(client: PoolClient, party: Party): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2))', [RECEIVER_SET_LOCK_CLASS, partyKey(party)]);
}

/** Held until the transaction ends, alone: no new delivery of the party is written meanwhile. */
export async function lockReceiverSetExclusive(client: PoolClient, party: Party): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [RECEIVER_SET_LOCK_CLASS, partyKey(party)]);
}

const partyKey = (party: Party) => `${party.country_code}*${party.party_id}`;
