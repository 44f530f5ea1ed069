/**
 * What a receiver is: one place a CPO party's CDRs go (GIREVE, an eMSP), with its own OCPI
 * version, URL and token. Each receiver of a party is its own delivery lane.
 */
import type { Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';

/** The name of the IOP_* receiver (the one-connection shortcut) in lanes, statuses, metrics and search attributes. */
export const DEFAULT_RECEIVER = 'default';

export interface ConnectionSettings {
  ocpiVersion: OcpiVersion;
  cdrsUrl: string;
  token: string;
  /** `{cdr_id}` is replaced; null: one path segment below cdrsUrl. */
  checkUrlTemplate: string | null;
  /**
   * Whom its OCPI 2.2.1 requests are addressed to (OCPI-to-*): a hub's own party (GIREVE:
   * FR*007, pre-production FR*107); null: each CDR's eMSP (a direct eMSP connection).
   */
  toParty?: Party | null;
}

/** A receiver as the `connections` table stores it (migration 006). */
export interface Connection extends ConnectionSettings {
  party: Party;
  name: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What operators see of a connection: everything but the token. */
export type ConnectionListing = Omit<Connection, 'token'>;

/** What checking a CDR back at its receiver found. missing: a sent CDR the IOP no longer has, found by reconciliation (src/worker/reconciliation.ts). */
/** `match_ids_replaced`: as sent but for the ids a hub replaces with its own (compare-checked-cdr.ts). */
export type CheckStatus = 'match' | 'match_ids_replaced' | 'mismatch' | 'not_possible' | 'missing';

/** One receiver of a party: its deliveries carry the claims. */
export interface Lane {
  party: Party;
  connection: string;
}

/** `{cdr_id}` one path segment below the CDR endpoint, whether or not its URL ends in `/`; a query stays last. */
export function defaultCheckUrlTemplate(cdrsUrl: string): string {
  const queryStart = cdrsUrl.search(/[?#]/);
  const path = queryStart < 0 ? cdrsUrl : cdrsUrl.slice(0, queryStart);
  const rest = queryStart < 0 ? '' : cdrsUrl.slice(queryStart);
  return `${path}${path.endsWith('/') ? '' : '/'}{cdr_id}${rest}`;
}
