/**
 * The connection a party's CDRs go out through now, as operators see it: its enabled row in
 * `connections`, else the IOP_* receiver (`default`, its version from IOP_OCPI_VERSION).
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';
import type { OcpiVersion } from '../connections/ocpi-version';
import { DEFAULT_CONNECTION } from '../iop/iop-router';
import { findDeliveringConnection } from '../store/connection-repo';

export interface PartyConnection {
  name: string;
  ocpiVersion: OcpiVersion;
}

export async function partyConnection(pool: Pool, party: Party, env: Record<string, string | undefined> = process.env): Promise<PartyConnection> {
  const connection = await findDeliveringConnection(pool, party);
  if (connection) return { name: connection.name, ocpiVersion: connection.ocpiVersion };
  return { name: DEFAULT_CONNECTION, ocpiVersion: env.IOP_OCPI_VERSION === '2.2.1' ? '2.2.1' : '2.1.1' };
}

export function describeConnection(connection: PartyConnection): string {
  return `${connection.name}${connection.name === DEFAULT_CONNECTION ? ' (IOP_*)' : ''}, OCPI ${connection.ocpiVersion}`;
}
