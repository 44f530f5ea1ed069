/**
 * OCPI 2.2.1 message routing (transport_and_format.asciidoc, "Message Routing") on a
 * functional module (cdrs): a request through a hub says who sends it (OCPI-from-*) and,
 * unless the hub leaves routing open, which party it is for (OCPI-to-*). One platform may
 * host several CPO parties, so the addressed party is the one whose CDRs are asked for:
 * the pull narrows the token's scope to it. The answer swaps the roles: from = the CPO
 * party answering, to = the requester ("Direct response" in the spec's routing tables).
 * Configuration modules (versions) carry no routing headers: the spec forbids them there.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Party } from '../../ocpi/party';
import { countryCodeAlpha2, partyId } from '../../ocpi/primitives';
import { type PullScope } from '../../ocpi/party';
import { invalidParameter } from './api-error';

export interface Routing {
  /** OCPI-from-*: the party asking (an eMSP behind the hub, or the hub itself). */
  requester?: Party;
  /** OCPI-to-*: the CPO party asked; absent in an open routing request. */
  addressee?: Party;
}

function readHeader(headers: IncomingHttpHeaders, name: string, rule: z.ZodString): string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  // CiString: compared case-insensitively, kept in the upper case our parties are written in.
  const value = String(raw).trim().toUpperCase();
  const checked = rule.safeParse(value);
  if (!checked.success) throw invalidParameter(`header ${name} ${checked.error.issues[0]?.message ?? 'is malformed'}`);
  return value;
}

function readParty(headers: IncomingHttpHeaders, side: 'from' | 'to'): Party | undefined {
  const countryHeader = `ocpi-${side}-country-code`;
  const partyHeader = `ocpi-${side}-party-id`;
  const country_code = readHeader(headers, countryHeader, countryCodeAlpha2);
  const party_id = readHeader(headers, partyHeader, partyId);
  if (country_code === undefined && party_id === undefined) return undefined;
  // Half a party names nobody: guessing the other half could hand over another party's CDRs.
  if (country_code === undefined || party_id === undefined) {
    throw invalidParameter(`headers ${countryHeader} and ${partyHeader} must be sent together`);
  }
  return { country_code, party_id };
}

/** The routing headers of a request; throws an invalid-parameter ApiError naming a malformed one. */
export function readRouting(headers: IncomingHttpHeaders): Routing {
  const requester = readParty(headers, 'from');
  const addressee = readParty(headers, 'to');
  return { ...(requester ? { requester } : {}), ...(addressee ? { addressee } : {}) };
}

const sameParty = (a: Party, b: Party) => a.country_code === b.country_code && a.party_id === b.party_id;

/**
 * The scope of a request addressed to `addressee`: that party if the token sees it, else
 * nothing, so a party outside the token's scope looks exactly like one without CDRs.
 */
export function narrowScope(scope: PullScope, addressee: Party | undefined): PullScope {
  if (addressee === undefined) return scope;
  if (scope === 'all' || scope.some((party) => sameParty(party, addressee))) return [addressee];
  return [];
}

/** The one CPO party a scope names, if it names exactly one. */
export function soleParty(scope: PullScope): Party | undefined {
  return scope !== 'all' && scope.length === 1 ? scope[0] : undefined;
}
