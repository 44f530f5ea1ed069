/**
 * Before a CDR whose earlier POST may have reached the IOP is POSTed again, the IOP is
 * asked whether it holds it (GET by id). Only two answers are clear:
 *
 * | answer to the GET                                          | verdict |
 * |------------------------------------------------------------|---------|
 * | HTTP 200, OCPI 1000, data is a CDR with this id (or a list | held: count it delivered, no POST |
 * | of exactly that CDR, see checked-cdr.ts)                   |         |
 * | HTTP 404 or 2xx with OCPI 2000 or 2003 ("unknown CDR")     | absent: POST again, once the earlier POST had time to settle |
 * | anything else: no answer, 401/403, 429, 5xx, OCPI 3xxx,    | unclear: no POST, ask again later |
 * | OCPI 2001/2002 (a wrong check URL, missing 2.2.1 headers), |         |
 * | a bare 404 (a proxy, a wrong route), data without this id  |         |
 *
 * An eventually consistent IOP may answer "unknown" for a moment after it took the CDR,
 * so "absent" counts only once the earlier POST started at least the settle delay ago.
 */
import { checkedCdrOf } from './checked-cdr';
import { envelopeOf, type IopAnswer } from './delivery-outcome';

/** OCPI 2000 (generic client error, what receivers answer an unknown id) and 2003 (unknown object). */
const UNKNOWN_CDR_CODES = [2000, 2003];

export type PresenceVerdict = { kind: 'held' } | { kind: 'absent' } | { kind: 'unclear'; reason: string };

export function presenceOf(cdrId: string, answer: IopAnswer | undefined): PresenceVerdict {
  if (!answer) return { kind: 'unclear', reason: 'the IOP did not answer the check' };
  const envelope = envelopeOf(answer);
  const said = envelope ? `HTTP ${answer.httpStatus}, OCPI ${envelope.status_code}` : `HTTP ${answer.httpStatus}`;
  const ok = answer.httpStatus >= 200 && answer.httpStatus < 300;
  if (ok && envelope?.status_code === 1000) {
    const heldId = checkedCdrOf(envelope.data)?.id;
    // OCPI ids are CiString: compared without case.
    if (typeof heldId === 'string' && heldId.toLowerCase() === cdrId.toLowerCase()) return { kind: 'held' };
    return { kind: 'unclear', reason: `the IOP answered the check (${said}) without this CDR` };
  }
  // Only "generic" and "unknown" say the CDR is not there; 2001/2002 say the request was wrong.
  const unknownObject = envelope !== undefined && UNKNOWN_CDR_CODES.includes(envelope.status_code);
  if (unknownObject && (ok || answer.httpStatus === 404)) return { kind: 'absent' };
  return { kind: 'unclear', reason: `the check answered ${said}` };
}
