/**
 * The party a receiver's OCPI 2.2.1 requests are addressed to, as operators write it
 * (`FR*107`, `--to-party` and IOP_TO_PARTY). GIREVE takes every request addressed to itself
 * (FR*007, pre-production FR*107) and dispatches it; addressed to the eMSP, it answers 4001.
 */
import { z } from 'zod';
import type { Party } from '../ocpi/party';

/** GIREVE's own parties (../shared/spec/gireve-221.md, "Registration"). */
export const GIREVE_PARTIES: readonly string[] = ['FR*007', 'FR*107'];

const PARTY = /^[A-Za-z]{2}\*[A-Za-z0-9]{3}$/;
const RULE = 'must be a country code and a party id, like FR*007 (GIREVE) or FR*107 (its pre-production)';
const toParty = (text: string): Party => ({ country_code: text.slice(0, 2).toUpperCase(), party_id: text.slice(3).toUpperCase() });

export const toPartySchema = z.string().trim().regex(PARTY, RULE).transform(toParty);

/** `--to-party` of `connection update`: also `none`, back to each CDR's eMSP. */
export const toPartyOrNoneSchema = z
  .string()
  .trim()
  .refine((text) => text === 'none' || PARTY.test(text), `${RULE}; none: each CDR's eMSP`)
  .transform((text) => (text === 'none' ? null : toParty(text)));

/** A receiver addressed to GIREVE itself: its 2.2.1 CDRs meet GIREVE's own rules. */
export function isGireveParty(party: Party | null | undefined): boolean {
  return party != null && GIREVE_PARTIES.includes(`${party.country_code}*${party.party_id}`);
}
