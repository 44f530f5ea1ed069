/**
 * The corrected CDR of a session whose CDR was credited (OCPI 2.2.1 mod_cdrs, Credit CDRs:
 * send "a new CDR with the correct information"). It keeps the real `session_id`, which
 * names the Session the receiver knows, and takes a new, stable id (cdr-id.ts). Pure.
 */
import type { Party } from '../../ocpi/party';
import { toOcpiDateTime } from '../../ocpi/primitives';
import type { Cdr221 } from '../../ocpi/v221/cdr';
import { CdrBuildError } from './build-error';
import { reissuedCdrIdFor } from './cdr-id';

/** `corrected` is the session's CDR built again (or the original as it was), with the original's id. */
export function reissuedCdrFor(party: Party, corrected: Cdr221, now: Date): Cdr221 {
  if (corrected.credit === true) throw new CdrBuildError(['credit: a credit CDR is not re-issued (re-issue the CDR it cancels)']);
  return { ...corrected, id: reissuedCdrIdFor(party, corrected.id), last_updated: toOcpiDateTime(now) };
}
