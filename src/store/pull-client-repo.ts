/**
 * The `pull_clients` table (migration 017): pull tokens registered at run time, each scoped
 * to CPO parties. Only a token's SHA-256 is stored; listings never carry it.
 */
import type { Pool } from 'pg';
import { operatorId, partyOfOperatorId, type Party } from '../ocpi/party';

export interface PullClientListing {
  name: string;
  parties: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** What the API needs of a live client: its name, its scope, its token's digest. */
export interface RegisteredPullClient {
  name: string;
  parties: Party[];
  tokenSha256: Buffer;
}

export class PullClientError extends Error {
  override readonly name = 'PullClientError';
}

const UNIQUE_VIOLATION = '23505';

/** Adds a client; a name or a token already registered (live or revoked) is refused. */
export async function addPullClient(
  pool: Pool,
  client: { name: string; tokenSha256: Buffer; parties: Party[] },
): Promise<PullClientListing> {
  try {
    const result = await pool.query<{ name: string; parties: string[]; created_at: Date; revoked_at: Date | null }>(
      `INSERT INTO pull_clients (name, token_sha256, parties) VALUES ($1, $2, $3) RETURNING name, parties, created_at, revoked_at`,
      [client.name, client.tokenSha256, client.parties.map(operatorId)],
    );
    const row = result.rows[0]!;
    return { name: row.name, parties: row.parties, createdAt: row.created_at, revokedAt: row.revoked_at };
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code !== UNIQUE_VIOLATION) throw error;
    throw new PullClientError(
      pgError.constraint === 'pull_clients_pkey'
        ? `a pull client named ${client.name} exists already (cdrflow pull-client list)`
        : 'this token is registered already, for another client: issue a new one',
    );
  }
}

export async function listPullClients(pool: Pool): Promise<PullClientListing[]> {
  const result = await pool.query<{ name: string; parties: string[]; created_at: Date; revoked_at: Date | null }>(
    'SELECT name, parties, created_at, revoked_at FROM pull_clients ORDER BY name',
  );
  return result.rows.map((row) => ({ name: row.name, parties: row.parties, createdAt: row.created_at, revokedAt: row.revoked_at }));
}

/** A new token for a live client: the old one is void at once. False when there is no live client of that name. */
export async function rotatePullClientToken(pool: Pool, name: string, tokenSha256: Buffer): Promise<boolean> {
  try {
    const result = await pool.query('UPDATE pull_clients SET token_sha256 = $2 WHERE name = $1 AND revoked_at IS NULL', [
      name,
      tokenSha256,
    ]);
    return (result.rowCount ?? 0) > 0;
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new PullClientError('this token is registered already: issue a new one');
    throw error;
  }
}

/** Revokes a live client; false when there is none of that name (or it is revoked already). */
export async function revokePullClient(pool: Pool, name: string): Promise<boolean> {
  const result = await pool.query('UPDATE pull_clients SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL', [name]);
  return (result.rowCount ?? 0) > 0;
}

export async function livePullClients(pool: Pool): Promise<RegisteredPullClient[]> {
  const result = await pool.query<{ name: string; parties: string[]; token_sha256: Buffer }>(
    'SELECT name, parties, token_sha256 FROM pull_clients WHERE revoked_at IS NULL',
  );
  return result.rows.map((row) => ({ name: row.name, parties: row.parties.map(partyOfOperatorId), tokenSha256: row.token_sha256 }));
}
