/**
 * Tells a session workflow its CDR's delivery outcome (the `deliveryResult` signal), from
 * the delivery activity while its next POSTs are on the wire. The queue workflow used to
 * send these signals itself between runs, which cost ~10 ms per CDR on the drain's path.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { cdrWorkflowId } from '../../workflows/ids';
import { deliveryResultSignal, type DeliveryResult } from '../../workflows/definitions';

export interface SessionNotifier {
  /** Resolves once the session workflow has the result, or is gone (then nobody waits for it). */
  tell(party: Party, sessionId: string, result: DeliveryResult): Promise<void>;
}

export function temporalSessionNotifier(client: Client): SessionNotifier {
  return {
    async tell(party, sessionId, result) {
      try {
        await client.workflow.getHandle(cdrWorkflowId(party, sessionId)).signal(deliveryResultSignal, result);
      } catch (error) {
        // Completed or terminated: the outcome is in Postgres, which is all anyone reads now.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    },
  };
}
