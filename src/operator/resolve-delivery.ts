/**
 * `cdrflow resolve FR*ABC CDR_ID [--connection NAME] --held|--not-held [--note TEXT]`: an
 * operator settles by hand a delivery that only a person can settle (its POST's outcome is
 * unknown and the receiver's checks answer nothing clear, or the receiver holds a CDR it
 * keeps answering errors for). Recorded with what the delivery read before
 * (src/store/resolution-repo.ts), then the queue tries its lanes' heads again at once.
 */
import { operatorId, type Party } from '../ocpi/party';
import { deliveriesOf } from '../store/delivery-repo';
import { resolveDelivery, type ResolutionVerdict } from '../store/resolution-repo';
import { signalQueueIfRunning } from '../temporal/queue-signals';
import { retryNowSignal } from '../../workflows/definitions';
import type { OperatorContext } from './operator-context';

export interface ResolvedDelivery {
  cdrId: string;
  connection: string;
  verdict: ResolutionVerdict;
  /** The CDR's overall status when this settled its last waiting delivery. */
  cdrStatus: string | null;
}

export class ResolveRefusedError extends Error {
  override readonly name = 'ResolveRefusedError';
}

export async function resolveStuckDelivery(
  context: OperatorContext,
  party: Party,
  cdrId: string,
  request: { connection?: string; verdict: ResolutionVerdict; note?: string },
): Promise<ResolvedDelivery> {
  const connection = request.connection ?? (await theOnlyWaitingDelivery(context, party, cdrId));
  const outcome = await resolveDelivery(context.pool, { party, connection }, cdrId, request.verdict, request.note?.trim() || null);
  if (!outcome.resolved) throw new ResolveRefusedError(outcome.reason);
  // The lane's head changed: its backoff is cut short (a pause stays); no queue running is fine.
  await signalQueueIfRunning(context.client, party, retryNowSignal);
  return { cdrId, connection, verdict: request.verdict, cdrStatus: outcome.settled?.status ?? null };
}

async function theOnlyWaitingDelivery({ pool }: OperatorContext, party: Party, cdrId: string): Promise<string> {
  const waiting = (await deliveriesOf(pool, { ...party, id: cdrId })).filter((delivery) => delivery.status === 'queued');
  if (waiting.length === 1) return waiting[0]!.connection;
  throw new ResolveRefusedError(
    waiting.length === 0
      ? `CDR ${cdrId} of ${operatorId(party)} waits for no receiver: nothing to resolve (cdrflow status shows its deliveries)`
      : `--connection: CDR ${cdrId} waits for several receivers (${waiting.map((delivery) => delivery.connection).join(', ')}): name one`,
  );
}
