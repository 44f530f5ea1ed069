/**
 * The CDR id is derived from the CPO and the session, so rebuilding a session's CDR always
 * gives the same id (and the store and the IOP see one CDR, not two). It is a name-based
 * UUID (RFC 9562 version 5), which any language can recompute, and fits CiString(36).
 */
import { createHash } from 'node:crypto';
import type { Party } from '../../ocpi/party';

// Fixed namespace for cdrflow CDR ids; changing it would change every id.
const CDR_ID_NAMESPACE = Buffer.from('5f1c3f4e9b2a4d7e8c61a0b3d2e4f607', 'hex');

export function cdrIdFor(party: Party, sessionId: string): string {
  const hash = createHash('sha1').update(CDR_ID_NAMESPACE).update(`${party.country_code}*${party.party_id}*${sessionId}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
