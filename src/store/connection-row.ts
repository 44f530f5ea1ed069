/** A `connections` row and the Connection it reads as (the token stays in the store's code). */
import type { OcpiVersion } from '../ocpi/versions';
import type { Connection, ConnectionListing } from '../receivers/receiver';

export interface ConnectionRow {
  country_code: string;
  party_id: string;
  name: string;
  ocpi_version: OcpiVersion;
  cdrs_url: string;
  token: string;
  check_url_template: string | null;
  to_country_code: string | null;
  to_party_id: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export function fromRow(row: ConnectionRow): Connection {
  return {
    party: { country_code: row.country_code, party_id: row.party_id },
    name: row.name,
    ocpiVersion: row.ocpi_version,
    cdrsUrl: row.cdrs_url,
    token: row.token,
    checkUrlTemplate: row.check_url_template,
    toParty: row.to_country_code && row.to_party_id ? { country_code: row.to_country_code, party_id: row.to_party_id } : null,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function withoutToken({ token: _token, ...listing }: Connection): ConnectionListing {
  return listing;
}

/** Why a change to the table was refused, in words an operator can act on. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}
