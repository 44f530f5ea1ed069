/**
 * Who a CDR goes from and to, for OCPI 2.2.1's hub routing headers: from the CPO party,
 * to the eMSP that owns the token (the 2.2.1 CDR's `cdr_token` names it). A 2.1.1 CDR
 * names no eMSP: the hub routes it by the token alone.
 */
import type { Party } from '../ocpi/party';
import type { OcpiRouting } from './iop-client';

export function ocpiRoutingOf(party: Party, cdr: unknown): OcpiRouting {
  const token = (cdr as { cdr_token?: { country_code?: unknown; party_id?: unknown } } | null)?.cdr_token;
  const to =
    typeof token?.country_code === 'string' && typeof token.party_id === 'string'
      ? { country_code: token.country_code, party_id: token.party_id }
      : undefined;
  return { from: { country_code: party.country_code, party_id: party.party_id }, ...(to ? { to } : {}) };
}
