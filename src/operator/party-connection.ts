/**
 * The receivers a party's CDRs go to, as operators see them: each of its connections (a
 * disabled one holds what waits for it), or, without any row, the IOP_* receiver
 * (`default`, its version from IOP_OCPI_VERSION).
 */
import type { Pool } from 'pg';
import type { Party } from '../ocpi/party';
import { ocpiVersionSchema, type OcpiVersion } from '../ocpi/versions';
import { DEFAULT_RECEIVER } from '../delivery/receiver-router';
import { findPartyConnections } from '../store/connection-repo';

export interface PartyLane {
  name: string;
  ocpiVersion: OcpiVersion;
  /** false: the connection is disabled, and the CDRs waiting for it stay queued. */
  enabled: boolean;
}

/** The party's lanes in the order the router serves them (oldest connection first). */
export async function partyLanes(pool: Pool, party: Party, env: Record<string, string | undefined> = process.env): Promise<PartyLane[]> {
  const connections = await findPartyConnections(pool, party);
  if (connections.length > 0) {
    return connections.map(({ name, ocpiVersion, enabled }) => ({ name, ocpiVersion, enabled }));
  }
  const version = ocpiVersionSchema.safeParse(env.IOP_OCPI_VERSION ?? '2.1.1');
  if (!version.success) throw new Error(`IOP_OCPI_VERSION: ${version.error.issues[0]?.message ?? 'invalid'}`);
  return [{ name: DEFAULT_RECEIVER, ocpiVersion: version.data, enabled: true }];
}

export function describeLane(lane: PartyLane): string {
  const name = `${lane.name}${lane.name === DEFAULT_RECEIVER ? ' (IOP_*)' : ''}, OCPI ${lane.ocpiVersion}`;
  return lane.enabled ? name : `${name}, disabled: its CDRs wait`;
}

export function describeLanes(lanes: PartyLane[]): string {
  return lanes.map(describeLane).join('; ');
}
