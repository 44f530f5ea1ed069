/** Rules on who and where: GIREVE routes a CDR by its EVSE's eMI3 id. */
import type { Cdr } from '../../ocpi/v211/cdr';
import { EVSE_ID_EXAMPLE, isEmi3EvseId } from '../session/evse-id';

const EVSE_ID_PATH = 'location.evses[0].evse_id';

export function identityRuleErrors(cdr: Cdr): string[] {
  const evseId = cdr.location.evses[0].evse_id;
  if (evseId === undefined) return [`${EVSE_ID_PATH}: is required by GIREVE: the eMI3 EVSE id, like ${EVSE_ID_EXAMPLE}`];
  if (!isEmi3EvseId(evseId)) {
    return [`${EVSE_ID_PATH}: must be an eMI3 EVSE id starting with the operator id CC*PPP*E, like ${EVSE_ID_EXAMPLE}`];
  }
  return [];
}
