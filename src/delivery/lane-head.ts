/**
 * Pure rules for the head of one lane: which CDRs a run may POST now, what a session
 * workflow learns once every receiver has settled its CDR, and which form a receiver takes.
 */
import type { DeliveryResult, RunEnd, SettledCdr } from '../../workflows/definitions';
import type { SettledCdrState } from '../store/delivery-repo';
import type { PostClaim } from '../store/post-claims';
import type { HeadEntry } from '../store/queue-repo';
import type { ReceiverRoute } from './receiver-router';

export interface SplitHead {
  /** Stored CDRs, in order, up to the first one not stored yet. */
  ready: HeadEntry[];
  /** The invalid ones among them: they go nowhere. */
  invalid: HeadEntry[];
  /** The entry that blocks the rest (its CDR is not stored yet), if any. */
  blockedBy: RunEnd | undefined;
}

export function splitHead(head: HeadEntry[]): SplitHead {
  const ready: HeadEntry[] = [];
  const invalid: HeadEntry[] = [];
  for (const entry of head) {
    if (entry.status === null) {
      const blockedBy: RunEnd = {
        kind: 'waiting-for-store',
        cdrId: entry.cdrId,
        sessionId: entry.sessionId,
        enqueuedAt: entry.enqueuedAt.getTime(),
      };
      return { ready, invalid, blockedBy };
    }
    (entry.status === 'invalid' ? invalid : ready).push(entry);
  }
  return { ready, invalid, blockedBy: undefined };
}

/** What a session workflow learns of its CDR once every receiver has settled it. */
export function settledFrom(state: SettledCdrState, sessionId: string): SettledCdr {
  const result: DeliveryResult | null =
    state.status === 'sent'
      ? { status: 'delivered', location: state.iopLocation, attempts: state.attempts }
      : state.status === 'rejected'
        ? {
            status: 'rejected',
            reason: state.lastError ?? 'rejected by the IOP',
            attempts: state.attempts,
            ...(state.partlyTaken ? { partlyDelivered: true } : {}),
          }
        : null;
  return { cdrId: state.id, sessionId, result };
}

/** The form of the CDR a connection takes: 2.2.1, or 2.1.1 (null when the CDR has none). */
export function bodyFor(route: ReceiverRoute, claim: PostClaim): unknown {
  return route.client.ocpiVersion === '2.2.1' ? claim.cdr221 : claim.cdr;
}
