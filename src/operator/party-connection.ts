/**
 * The connection a party's CDRs go out through now, as operators see it: its enabled row in
 * `connections`; none enabled (its CDRs wait); or, without any row, the IOP_* receiver
 * (`default`, its version from IOP_OCPI_VERSION).
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';
import { ocpiVersionSchema, type OcpiVersion } from '../connections/ocpi-version';
import { DEFAULT_CONNECTION } from '../iop/iop-router';
import { findPartyConnections } from '../store/connection-repo';

export interface PartyConnection {
  name: string;
  ocpiVersion: OcpiVersion;
  /** false: the party has connections, none enabled, and its CDRs wait. */
  enabled: boolean;
}

export async function partyConnection(pool: Pool, party: Party, env: Record<string, string | undefined> = process.env): Promise<PartyConnection> {
  const [first] = await findPartyConnections(pool, party);
  if (first) return { name: first.name, ocpiVersion: first.ocpiVersion, enabled: first.enabled };
  const version = ocpiVersionSchema.safeParse(env.IOP_OCPI_VERSION ?? '2.1.1');
  if (!version.success) throw new Error(`IOP_OCPI_VERSION: ${version.error.issues[0]?.message ?? 'invalid'}`);
  return { name: DEFAULT_CONNECTION, ocpiVersion: version.data, enabled: true };
}

export function describeConnection(connection: PartyConnection): string {
  if (!connection.enabled) return `none enabled (last: ${connection.name}, OCPI ${connection.ocpiVersion}): CDRs wait`;
  return `${connection.name}${connection.name === DEFAULT_CONNECTION ? ' (IOP_*)' : ''}, OCPI ${connection.ocpiVersion}`;
}
