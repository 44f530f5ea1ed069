/**
 * GET /ocpi/cpo/{2.1.1,2.2.1}/cdrs/{cdr_id}: one CDR, for a hub that checks what it holds
 * against ours. Not in OCPI's CPO interface (which only lists), hence a plain id lookup,
 * within the CPO parties the caller's token sees, of the version's form of the CDR.
 */
import { ciString } from '../../ocpi/primitives';
import { findPullableCdrById } from '../../store/cdr-pull-query';
import { invalidParameter, notFound } from '../transport/api-error';
import type { Handler } from '../handler';
import type { PullVersion } from './pull-version';
import { JsonText } from '../transport/respond';

export function getCdrOf(version: PullVersion): Handler {
  // A CDR id is a CiString of the version's length: anything else cannot name a CDR.
  const cdrId = ciString(version.maxIdLength).min(1);
  return async ({ pool, scope, pathParams }) => {
    const id = pathParams.cdr_id ?? '';
    if (!cdrId.safeParse(id).success) throw invalidParameter(`cdr_id must be 1 to ${version.maxIdLength} printable ASCII characters`);
    const found = await findPullableCdrById(pool, scope, id, version.form);
    // A CDR outside the caller's scope is answered exactly like one that does not exist.
    if (!found) throw notFound(`unknown CDR: no CDR with id ${JSON.stringify(id)}`);
    return {
      data: new JsonText(found.cdrJson),
      sender: { country_code: found.country_code, party_id: found.party_id },
    };
  };
}
