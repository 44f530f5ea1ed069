/**
 * The CDR id is derived from the CPO and the session, so rebuilding a session's CDR always
 * gives the same id (and the store and the IOP see one CDR, not two). It is a name-based
 * UUID (RFC 9562 version 5), which any language can recompute, and fits CiString(36).
 */
import { createHash } from 'node:crypto';
import type { Party } from '../../ocpi/party';

// Fixed namespaces for cdrflow CDR ids; changing one would change every id made with it.
const CDR_ID_NAMESPACE = Buffer.from('5f1c3f4e9b2a4d7e8c61a0b3d2e4f607', 'hex');
const REISSUED_CDR_ID_NAMESPACE = Buffer.from('9d2e6b1a4c7f4e08b35a6c1d0e2f8a49', 'hex');

function nameBasedUuid(namespace: Buffer, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function cdrIdFor(party: Party, sessionId: string): string {
  return nameBasedUuid(CDR_ID_NAMESPACE, `${party.country_code}*${party.party_id}*${sessionId}`);
}

/**
 * The corrected CDR sent after a credit (cdrflow reissue) is a normal CDR, so its id has at
 * most 36 characters (mod_cdrs: only a credit may append to an id): a UUID of its own,
 * derived from the CDR it corrects, so re-issuing one CDR twice gives one CDR.
 */
export function reissuedCdrIdFor(party: Party, originalId: string): string {
  return nameBasedUuid(REISSUED_CDR_ID_NAMESPACE, `${party.country_code}*${party.party_id}*${originalId}`);
}
