/**
 * What GIREVE's IOP refuses in an OCPI 2.2.1 CDR beyond the standard (../shared/spec/gireve-221.md,
 * "CDRs"): checked when one of the party's receivers is addressed to GIREVE (To party FR*007
 * or FR*107), so the CDR is `invalid` here, visible, instead of refused at the hub.
 */
import type { Cdr221 } from '../../ocpi/v221/cdr';

/** The hex of a 4- or 7-byte RFID UID, zero-padded to 8 or 14 characters (upper-cased on input). */
const RFID_UID = /^(?:[0-9A-F]{8}|[0-9A-F]{14})$/;

export function gireve221Problems(cdr: Cdr221): string[] {
  const token = cdr.cdr_token;
  if (token.type === 'RFID' && !RFID_UID.test(token.uid)) {
    return [
      `OCPI 2.2.1 CDR cdr_token.uid: must be the RFID UID in hex, 8 or 14 characters (a 4- or 7-byte UID, zero-padded), ` +
        `got "${token.uid}": GIREVE refuses a malformed RFID uid`,
    ];
  }
  return [];
}
