/**
 * OCPI 2.2.1 message routing headers (transport_and_format, "Message Routing"): who a message
 * is from and who it is for, each when known. Requests and answers alike; HTTP header names
 * are case-insensitive.
 */
import type { Party } from './party';

export function routingHeaders(from: Party | undefined, to: Party | undefined): Record<string, string> {
  return {
    ...(from ? { 'OCPI-from-country-code': from.country_code, 'OCPI-from-party-id': from.party_id } : {}),
    ...(to ? { 'OCPI-to-country-code': to.country_code, 'OCPI-to-party-id': to.party_id } : {}),
  };
}
