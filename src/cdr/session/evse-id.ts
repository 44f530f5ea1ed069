/**
 * eMI3 EVSE ids as GIREVE wants them: `CC*PPP*E<outlet>` (country, spot operator id,
 * "E", then 1 to 31 letters, digits or `*`), and every EVSE of a CPO operation starts
 * with that operation's operator id (GIREVE cpo_registration.md / cpo_locations.md).
 * eMI3 ids compare case-insensitively.
 */
import { operatorId, type Party } from '../../ocpi/party';

const EMI3_EVSE_ID_RE = /^[A-Z]{2}\*[A-Z0-9]{3}\*E[A-Z0-9][A-Z0-9*]{0,30}$/i;

export const EVSE_ID_EXAMPLE = 'FR*AB1*E0001';

export function isEmi3EvseId(evseId: string): boolean {
  return EMI3_EVSE_ID_RE.test(evseId);
}

export function evseIdBelongsTo(evseId: string, party: Party): boolean {
  return evseId.toUpperCase().startsWith(`${operatorId(party)}*E`);
}
