/**
 * OCPI 2.2.1 message routing headers (transport_and_format, "Message Routing"): who a message
 * is from and who it is for, each when known. Requests and answers alike; HTTP header names
 * are case-insensitive.
 */
import type { Party } from './party';
import type { OcpiVersion } from './versions';

export function routingHeaders(from: Party | undefined, to: Party | undefined): Record<string, string> {
  return {
    ...(from ? { 'OCPI-from-country-code': from.country_code, 'OCPI-from-party-id': from.party_id } : {}),
    ...(to ? { 'OCPI-to-country-code': to.country_code, 'OCPI-to-party-id': to.party_id } : {}),
  };
}

/**
 * The Authorization header a party sends with its token: OCPI 2.2.1 Base64-encodes it
 * (transport_and_format, "Authorization header"), 2.1.1 sends it as is.
 */
export function ocpiTokenHeader(version: OcpiVersion, token: string): string {
  return `Token ${version === '2.2.1' ? Buffer.from(token, 'utf8').toString('base64') : token}`;
}
