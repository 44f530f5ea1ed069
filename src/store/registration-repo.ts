/**
 * The `registrations` table (migration 018): registration tokens (OCPI token A) handed to a
 * hub, single use, expiring, stored as SHA-256 only. Listings never carry a token.
 */
import type { Pool } from 'pg';
import { operatorId, partyOfOperatorId, type Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';

export interface RegistrationListing {
  name: string;
  ocpiVersion: OcpiVersion;
  parties: string[];
  createdAt: Date;
  expiresAt: Date;
  /** open (the hub may still register with it), used, revoked or expired. */
  state: 'open' | 'used' | 'revoked' | 'expired';
}

/** An open registration, as the API needs it to accept its token on the version endpoints. */
export interface OpenRegistration {
  id: string;
  name: string;
  ocpiVersion: OcpiVersion;
  parties: Party[];
  tokenSha256: Buffer;
}

interface RegistrationRow {
  id: string;
  name: string;
  ocpi_version: OcpiVersion;
  parties: string[];
  token_sha256: Buffer;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

function listingOf(row: RegistrationRow, now: Date): RegistrationListing {
  const state = row.revoked_at ? 'revoked' : row.used_at ? 'used' : row.expires_at <= now ? 'expired' : 'open';
  return {
    name: row.name,
    ocpiVersion: row.ocpi_version,
    parties: row.parties,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    state,
  };
}

export async function createRegistration(
  pool: Pool,
  registration: { name: string; ocpiVersion: OcpiVersion; parties: Party[]; tokenSha256: Buffer; expiresAt: Date },
): Promise<RegistrationListing> {
  const result = await pool.query<RegistrationRow>(
    `INSERT INTO registrations (name, ocpi_version, parties, token_sha256, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [registration.name, registration.ocpiVersion, registration.parties.map(operatorId), registration.tokenSha256, registration.expiresAt],
  );
  return listingOf(result.rows[0]!, new Date());
}

export async function listRegistrations(pool: Pool): Promise<RegistrationListing[]> {
  const result = await pool.query<RegistrationRow>('SELECT * FROM registrations ORDER BY created_at, id');
  const now = new Date();
  return result.rows.map((row) => listingOf(row, now));
}

/** Revokes the open registrations of that name; how many there were. */
export async function revokeRegistration(pool: Pool, name: string): Promise<number> {
  const result = await pool.query(
    'UPDATE registrations SET revoked_at = now() WHERE name = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()',
    [name],
  );
  return result.rowCount ?? 0;
}

export async function openRegistrations(pool: Pool): Promise<OpenRegistration[]> {
  const result = await pool.query<RegistrationRow>(
    'SELECT * FROM registrations WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > now()',
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    ocpiVersion: row.ocpi_version,
    parties: row.parties.map(partyOfOperatorId),
    tokenSha256: row.token_sha256,
  }));
}
