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
import type { Pool, PoolClient } from 'pg';
import type { Party } from '../ocpi/party';
import { DEFAULT_RECEIVER } from '../receivers/receiver';
import { inTransaction } from './transaction';

/** The lock's class: the first key of the two-key advisory lock space ("CDRF"). */
const RECEIVER_SET_LOCK_CLASS = 0x43445246;

/** Held until the transaction ends; other writers of new deliveries may hold it too. */
async function lockReceiverSetShared(client: PoolClient, party: Party): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2))', [RECEIVER_SET_LOCK_CLASS, partyKey(party)]);
}

/** Held until the transaction ends, alone: no new delivery of the party is written meanwhile. */
async function lockReceiverSetExclusive(client: PoolClient, party: Party): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [RECEIVER_SET_LOCK_CLASS, partyKey(party)]);
}

const partyKey = (party: Party) => `${party.country_code}*${party.party_id}`;

/** `work` in one transaction that first holds the party's receivers still (a writer of new deliveries). */
export function withReceiverSetShared<T>(pool: Pool, party: Party, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await lockReceiverSetShared(client, party);
    return work(client);
  });
}

/** `work` in one transaction that alone may change who receives the party's CDRs. */
export function withReceiverSetExclusive<T>(pool: Pool, party: Party, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await lockReceiverSetExclusive(client, party);
    return work(client);
  });
}

/** `work` in one transaction that alone may change who receives the CDRs of each party (locked in one order: no deadlock). */
export function withReceiverSetsExclusive<T>(pool: Pool, parties: readonly Party[], work: (client: PoolClient) => Promise<T>): Promise<T> {
  const ordered = [...new Map(parties.map((party) => [partyKey(party), party])).entries()].sort(([a], [b]) => a.localeCompare(b));
  return inTransaction(pool, async (client) => {
    for (const [, party] of ordered) await lockReceiverSetExclusive(client, party);
    return work(client);
  });
}

/** Those of `receivers` that still exist for the party (read under the receiver-set lock, they stay so). */
export async function liveReceiversOf(client: PoolClient, party: Party, receivers: readonly string[]): Promise<string[]> {
  const live = await client.query<{ receiver: string }>(
    `SELECT receiver FROM unnest($3::text[]) AS receiver WHERE ${isLiveReceiverSql('receiver', '$1', '$2')}`,
    [party.country_code, party.party_id, receivers],
  );
  return live.rows.map((row) => row.receiver);
}

/**
 * SQL: whether the receiver named `name` still exists for the party (`cc`, `pid`): one of
 * its connections, or `default` (IOP_*) while it has none. The arguments are SQL expressions.
 */
export function isLiveReceiverSql(name: string, cc: string, pid: string): string {
  return `(EXISTS (SELECT 1 FROM connections c WHERE c.country_code = ${cc} AND c.party_id = ${pid} AND c.name = ${name})
    OR (${name} = '${DEFAULT_RECEIVER}' AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.country_code = ${cc} AND c.party_id = ${pid})))`;
}
