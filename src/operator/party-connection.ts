/**
 * The receivers a party's CDRs go to, as operators see them: each of its connections (a
 * disabled one holds what waits for it), or, without any row, the IOP_* receiver
 * (`default`, its version from IOP_OCPI_VERSION).
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../ocpi/party';
import { toPartySchema } from '../receivers/to-party';
import { ocpiVersionSchema, type OcpiVersion } from '../ocpi/versions';
import { DEFAULT_RECEIVER } from '../delivery/receiver-router';
import { findPartyConnections } from '../store/connection-repo';

export interface PartyLane {
  name: string;
  ocpiVersion: OcpiVersion;
  /** false: the connection is disabled, and the CDRs waiting for it stay queued. */
  enabled: boolean;
  /** OCPI 2.2.1: whom its requests are addressed to (a hub); null: each CDR's eMSP. */
  toParty: Party | null;
}

/** The party's lanes in the order the router serves them (oldest connection first). */
export async function partyLanes(pool: Pool, party: Party, env: Record<string, string | undefined> = process.env): Promise<PartyLane[]> {
  const connections = await findPartyConnections(pool, party);
  if (connections.length > 0) {
    return connections.map(({ name, ocpiVersion, enabled, toParty }) => ({ name, ocpiVersion, enabled, toParty: toParty ?? null }));
  }
  const version = ocpiVersionSchema.safeParse(env.IOP_OCPI_VERSION ?? '2.1.1');
  if (!version.success) throw new Error(`IOP_OCPI_VERSION: ${version.error.issues[0]?.message ?? 'invalid'}`);
  const toParty = toPartySchema.optional().safeParse(env.IOP_TO_PARTY);
  if (!toParty.success) throw new Error(`IOP_TO_PARTY: ${toParty.error.issues[0]?.message ?? 'invalid'}`);
  return [{ name: DEFAULT_RECEIVER, ocpiVersion: version.data, enabled: true, toParty: toParty.data ?? null }];
}

export function describeLane(lane: PartyLane): string {
  const addressed = lane.ocpiVersion === '2.2.1' && lane.toParty ? `, to ${operatorId(lane.toParty)}` : '';
  const name = `${lane.name}${lane.name === DEFAULT_RECEIVER ? ' (IOP_*)' : ''}, OCPI ${lane.ocpiVersion}${addressed}`;
  return lane.enabled ? name : `${name}, disabled: its CDRs wait`;
}

export function describeLanes(lanes: PartyLane[]): string {
  return lanes.map(describeLane).join('; ');
}
