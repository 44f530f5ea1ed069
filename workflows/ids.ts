/**
 * Workflow ids an operator can type: `cdr:FR*ABC:<session id>` for a session's CDR,
 * `cdr-queue:FR*ABC` for a CPO's delivery queue. Each builder has its inverse.
 */
import type { Party } from '../src/ocpi/party';

export type PartyRef = Party;

export function cdrWorkflowId(party: PartyRef, sessionId: string): string {
  return `cdr:${party.country_code}*${party.party_id}:${sessionId}`;
}

export function cpoQueueWorkflowId(party: PartyRef): string {
  return `cdr-queue:${party.country_code}*${party.party_id}`;
}

export function parseCdrWorkflowId(workflowId: string): { party: PartyRef; sessionId: string } | undefined {
  const match = /^cdr:([A-Z]{2})\*([A-Z0-9]{3}):(.+)$/.exec(workflowId);
  if (!match) return undefined;
  return { party: { country_code: match[1]!, party_id: match[2]! }, sessionId: match[3]! };
}

export function parseCpoQueueWorkflowId(workflowId: string): PartyRef | undefined {
  const match = /^cdr-queue:([A-Z]{2})\*([A-Z0-9]{3})$/.exec(workflowId);
  return match ? { country_code: match[1]!, party_id: match[2]! } : undefined;
}
