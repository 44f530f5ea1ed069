/**
 * `cdrflow reissue FR*ABC CDR_ID [--input FIXED.json]`: after a credit, sends the corrected
 * CDR with the real session_id (the Session the receiver knows) and a new, stable id,
 * queued after the credit, once, to the receivers the credit went to. Without --input the
 * CDR goes again as it was (credited by mistake); with it, the session is built again from
 * the corrected SessionEnded and validated as any CDR (GIREVE's rules toward GIREVE).
 */
import { CdrBuildError } from '../cdr/build/build-error';
import { buildCdr221WithPricing } from '../cdr/build/build-cdr-221';
import { creditCdrIdFor } from '../cdr/build/credit-cdr';
import { reissuedCdrFor } from '../cdr/build/reissued-cdr';
import { InvalidSessionEndedError, parseSessionEnded } from '../cdr/session/parse-session-ended';
import { validateCdr221 } from '../cdr/validate/validate-cdr-221';
import { operatorId, type Party } from '../ocpi/party';
import { cdr221Schema, type Cdr221 } from '../ocpi/v221/cdr';
import { isGireveParty } from '../receivers/to-party';
import { findCdr } from '../store/cdr-repo';
import { deliveriesOf } from '../store/delivery-repo';
import { storeReissuedCdr } from '../store/reissue-repo';
import { signalWake } from '../temporal/queue-signals';
import type { OperatorContext } from './operator-context';
import { partyLanes } from './party-connection';

export interface ReissuedCdr {
  reissueCdrId: string;
  reissueOf: string;
  /** false: re-issued before (the command ran twice); nothing was queued again. */
  issued: boolean;
  status: string;
  receivers: string[];
}

export class ReissueRefusedError extends Error {
  override readonly name = 'ReissueRefusedError';
}

export async function reissueCdr(
  context: OperatorContext,
  party: Party,
  cdrId: string,
  correctedInput?: unknown,
  now: Date = new Date(),
): Promise<ReissuedCdr> {
  const operator = operatorId(party);
  const original = await findCdr(context.pool, { ...party, id: cdrId });
  if (!original || original.credit_of !== null || original.reissue_of !== null) {
    throw new ReissueRefusedError(`${operator} has no session CDR ${cdrId} (a credit or a re-issue is not re-issued)`);
  }
  const lanes = await partyLanes(context.pool, party);
  const credit = await findCdr(context.pool, { ...party, id: creditCdrIdFor(cdrId) });
  if (!credit) {
    throw new ReissueRefusedError(
      lanes.some((lane) => lane.ocpiVersion === '2.2.1')
        ? `CDR ${cdrId} was not credited: cdrflow credit ${operator} ${cdrId} first (the re-issue goes after the credit)`
        : `${operator} delivers over OCPI 2.1.1 only, which has no credit CDRs: a corrected CDR cannot follow a credit there; correct it with the eMSP directly`,
    );
  }
  const receivers = (await deliveriesOf(context.pool, credit)).map((delivery) => delivery.connection);
  const forGireve = lanes.some((lane) => receivers.includes(lane.name) && isGireveParty(lane.toParty));
  const corrected =
    correctedInput === undefined
      ? storedForm(original.cdr_221, cdrId)
      : rebuilt(correctedInput, party, original.session_id, now, forGireve);
  let reissue: Cdr221;
  try {
    reissue = reissuedCdrFor(party, corrected, now);
  } catch (error) {
    if (error instanceof CdrBuildError) throw new ReissueRefusedError(error.problems.join('; '));
    throw error;
  }
  const stored = await storeReissuedCdr(context.pool, original, { id: reissue.id, body: reissue }, receivers);
  if ('refused' in stored) throw new ReissueRefusedError(stored.refused);
  if (stored.status === 'queued') await signalWake(context.client, context.taskQueue, party);
  return { reissueCdrId: reissue.id, reissueOf: cdrId, issued: stored.issued, status: stored.status, receivers };
}

function storedForm(cdr221: unknown, cdrId: string): Cdr221 {
  const parsed = cdr221Schema.safeParse(cdr221);
  if (!parsed.success) throw new ReissueRefusedError(`CDR ${cdrId} has no OCPI 2.2.1 form: give the corrected session with --input`);
  return parsed.data;
}

/** The corrected session, built and validated as a hand-in would be; it must be the same session. */
function rebuilt(input: unknown, party: Party, sessionId: string, now: Date, forGireve: boolean): Cdr221 {
  try {
    const session = parseSessionEnded(input, now);
    if (operatorId(session.party) !== operatorId(party) || session.session.id !== sessionId) {
      throw new ReissueRefusedError(`--input: must be ${operatorId(party)} session ${sessionId}, the session of the credited CDR`);
    }
    const validation = validateCdr221(buildCdr221WithPricing(session, now), { forGireve });
    if (!validation.valid) throw new ReissueRefusedError(`the corrected CDR is invalid:\n  ${validation.errors.join('\n  ')}`);
    return validation.cdr;
  } catch (error) {
    if (error instanceof InvalidSessionEndedError) throw new ReissueRefusedError(`--input: ${error.message}`);
    if (error instanceof CdrBuildError) throw new ReissueRefusedError(`--input: ${error.problems.join('; ')}`);
    throw error;
  }
}
