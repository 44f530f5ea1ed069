/**
 * OCPI 2.2.1 CdrToken (mod_cdrs.asciidoc) and TokenType (mod_tokens.asciidoc): the token
 * that started the session, with the eMSP that owns it. 2.1.1 had only `auth_id` (now
 * `contract_id`); a hub routes a 2.2.1 CDR to `country_code`/`party_id`.
 */
import { z } from 'zod';
import { countryCodeAlpha2, ocpiId, partyId } from '../primitives';

export const tokenTypeSchema = z.enum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export type TokenType = z.infer<typeof tokenTypeSchema>;

export const cdrTokenSchema = z.strictObject({
  /** Of the eMSP that owns the token, like the CPO's own party code. */
  country_code: countryCodeAlpha2,
  party_id: partyId,
  /** What the charger read: the RFID's hidden id, or an id the eMSP generated for an app. */
  uid: ocpiId(36),
  type: tokenTypeSchema,
  /** The driver's contract (eMA id), what 2.1.1 calls `auth_id`. */
  contract_id: ocpiId(36),
});
export type CdrToken = z.infer<typeof cdrTokenSchema>;
