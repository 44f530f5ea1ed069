/**
 * Workflow ids an operator can type: `cdr:FR*ABC:<session id>` for a session's CDR,
 * `cdr-queue:FR*ABC` for a CPO's delivery queue.
 */
import type { Party } from '../src/ocpi/party';

export function cdrWorkflowId(party: Party, sessionId: string): string {
  return `cdr:${party.country_code}*${party.party_id}:${sessionId}`;
}

export function cpoQueueWorkflowId(party: Party): string {
  return `cdr-queue:${party.country_code}*${party.party_id}`;
}
