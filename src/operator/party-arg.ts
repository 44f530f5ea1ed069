import type { Party } from '../ocpi/party';

/** Parses an operator id as operators type it: `FR*ABC` (also `FR-ABC` or `FRABC`). */
export function parseOperatorId(text: string): Party {
  const match = /^([A-Za-z]{2})[*-]?([A-Za-z0-9]{3})$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an operator id: expected country code and party id, like FR*ABC`);
  return { country_code: match[1]!.toUpperCase(), party_id: match[2]!.toUpperCase() };
}
