/**
 * OCPI 2.2.1 CdrToken (mod_cdrs.asciidoc) and TokenType (mod_tokens.asciidoc): the token
 * that started the session, with the eMSP that owns it. 2.1.1 had only `auth_id` (now
 * `contract_id`); a hub routes a 2.2.1 CDR to `country_code`/`party_id`.
 */
import { z } from 'zod';
import { ocpiId } from '../primitives';

export const tokenTypeSchema = z.enum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export type TokenType = z.infer<typeof tokenTypeSchema>;

/**
 * The token owner's party codes are CiString(2) / CiString(3), not ISO or eMI3 codes: GIREVE's
 * anonymised Advenir token is `$$` / `ADV`. Printable ASCII without spaces, upper-cased
 * (CiStrings compare without case; one spelling keeps the CDR stable).
 */
function tokenPartyCode(length: number) {
  return z
    .string()
    .overwrite((code) => code.toUpperCase())
    .regex(new RegExp(`^[\\x21-\\x7E]{${length}}$`), {
      error: `must be ${length} printable ASCII characters (OCPI CiString(${length}), like ${length === 2 ? 'FR or $$' : 'GIR or ADV'})`,
    });
}

const cdrTokenShape = {
  /** Of the eMSP that owns the token; GIREVE's Advenir token says `$$`. */
  country_code: tokenPartyCode(2),
  party_id: tokenPartyCode(3),
  /** What the charger read: the RFID's hidden id, or an id the eMSP generated for an app. */
  uid: ocpiId(36),
  type: tokenTypeSchema,
  /** The driver's contract (eMA id), what 2.1.1 calls `auth_id`. */
  contract_id: ocpiId(36),
};

/** An RFID uid is hex (mod_tokens), written upper-case, as GIREVE recommends. */
const withRfidUidUpperCased = <T extends { uid?: string; type: TokenType }>(token: T): T =>
  token.type === 'RFID' && token.uid !== undefined ? { ...token, uid: token.uid.toUpperCase() } : token;

export const cdrTokenSchema = z.strictObject(cdrTokenShape).overwrite(withRfidUidUpperCased);
export type CdrToken = z.infer<typeof cdrTokenSchema>;

/**
 * The token as a session hands it in: `contract_id` may be left out when it is the session's
 * `auth_id`, which is what 2.1.1 calls the contract id.
 */
export const sessionTokenSchema = z
  .strictObject({ ...cdrTokenShape, contract_id: cdrTokenShape.contract_id.optional() })
  .overwrite(withRfidUidUpperCased);
