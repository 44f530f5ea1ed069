/**
 * `cdrflow credit FR*ABC CDR_ID --reason TEXT`: cancels a sent CDR with an OCPI 2.2.1 credit
 * CDR (mod_cdrs "Credit CDRs": same content, amounts negated, its own id, `credit: true`,
 * `credit_reference_id`), queued at the tail of the party's queue and delivered once. A
 * party on an OCPI 2.1.1 connection is refused: 2.1.1 has no credit CDRs.
 */
import { operatorId, type Party } from '../ocpi/party';
import { creditCdrFor } from '../cdr/build/credit-cdr';
import { signalWake } from '../temporal/queue-signals';
import { cdr221Schema } from '../ocpi/v221/cdr';
import { findCdr } from '../store/cdr-repo';
import { storeCreditCdr } from '../store/credit-repo';
import type { OperatorContext } from './operator-context';
import { deliveriesOf } from '../store/delivery-repo';
import { describeLanes, partyLanes } from './party-connection';
import { isGireveParty } from '../receivers/to-party';

export interface IssuedCredit {
  creditCdrId: string;
  creditOf: string;
  /** false: issued before (the command ran twice); nothing was queued again. */
  issued: boolean;
  status: string;
  /** The 2.2.1 receivers the credit goes to (those that took the CDR). */
  receivers: string[];
  /** Receivers that took the CDR over OCPI 2.1.1: they get no credit (correct it with them directly). */
  notCredited: string[];
  /** What the operator must do beyond the credit (GIREVE does not process credit CDRs yet). */
  warnings: string[];
}

/** ../shared/spec/gireve-221.md, "CDRs": recommended, not implemented by GIREVE yet. */
function gireveCreditWarning(connections: string[]): string {
  return (
    `GIREVE does not process credit CDRs yet: the credit still goes to ${connections.join(', ')} (once), ` +
    'but tell the eMSP of the correction another way (GIREVE support, or the eMSP directly)'
  );
}

export class CreditRefusedError extends Error {
  override readonly name = 'CreditRefusedError';
}

export async function issueCreditCdr(
  context: OperatorContext,
  party: Party,
  cdrId: string,
  reason: string,
  now: Date = new Date(),
): Promise<IssuedCredit> {
  const operator = operatorId(party);
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new CreditRefusedError('--reason: is required (it goes into the credit CDR as its remark)');
  const original = await findCdr(context.pool, { ...party, id: cdrId });
  if (!original) throw new CreditRefusedError(`${operator} has no CDR ${cdrId} (cdrflow list --status sent --operator ${operator})`);
  const tookIt = (await deliveriesOf(context.pool, original))
    .filter((delivery) => delivery.status === 'sent')
    .map((delivery) => delivery.connection);
  // Rejected by one receiver and taken by another: the copy taken is credited there.
  if (original.status !== 'sent' && !(original.status === 'rejected' && tookIt.length > 0)) {
    throw new CreditRefusedError(`CDR ${cdrId} is ${original.status}, not sent: only a CDR the receiver accepted is credited`);
  }
  const body = cdr221Schema.safeParse(original.cdr_221);
  if (!body.success) {
    throw new CreditRefusedError(
      `CDR ${cdrId} has no OCPI 2.2.1 form (its session lacked cdr_token): it was not sent as 2.2.1 and cannot be credited in 2.2.1`,
    );
  }
  if (body.data.credit === true) throw new CreditRefusedError(`CDR ${cdrId} is itself a credit CDR: a credit is not credited`);
  const built = cdr221Schema.safeParse({ ...creditCdrFor(body.data, now), remark: trimmed.slice(0, 255) });
  if (!built.success) {
    throw new CreditRefusedError(
      `the credit CDR would be invalid: ${built.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const credit = built.data;
  // The credit goes where the CDR went, to the receivers that speak 2.2.1.
  const lanes = await partyLanes(context.pool, party);
  const receivers = lanes.filter((lane) => tookIt.includes(lane.name));
  const targets = receivers.filter((lane) => lane.ocpiVersion === '2.2.1').map((lane) => lane.name);
  if (targets.length === 0) {
    const where = receivers.length > 0 ? describeLanes(receivers) : `connections that are gone (${tookIt.join(', ') || 'none recorded'})`;
    throw new CreditRefusedError(
      `CDR ${cdrId} went to ${where}: no OCPI 2.2.1 receiver took it, and OCPI 2.1.1 has no credit CDRs (they exist from OCPI 2.2): ` +
        'correct the CDR with the eMSP directly',
    );
  }
  const stored = await storeCreditCdr(
    context.pool,
    { ...party, id: cdrId, session_id: original.session_id },
    { id: credit.id, body: credit },
    targets,
  );
  if ('refused' in stored) throw new CreditRefusedError(stored.refused);
  // The queue looks at Postgres again (or starts, if it was not running); also when the
  // command runs again because the first wake failed.
  if (stored.status === 'queued') await signalWake(context.client, context.taskQueue, party);
  const skipped = receivers.filter((lane) => lane.ocpiVersion !== '2.2.1').map((lane) => lane.name);
  const toGireve = receivers.filter((lane) => targets.includes(lane.name) && isGireveParty(lane.toParty)).map((lane) => lane.name);
  return {
    creditCdrId: credit.id,
    creditOf: cdrId,
    issued: stored.issued,
    status: stored.status,
    receivers: targets,
    notCredited: skipped,
    warnings: toGireve.length > 0 ? [gireveCreditWarning(toGireve)] : [],
  };
}
