/**
 * Messages between the CPO backend, the per-session CDR workflow and the per-CPO queue
 * workflow. Defined once here and imported by workflows, activities and clients.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PartyRef } from './ids';

/** Sent by the client when a session ends: fixes the CDR's place in its CPO's queue. */
export interface EnqueueRequest {
  cdrId: string;
  sessionId: string;
  /** An operator replays the session: queue its CDR again even if it left the queue before. */
  replay?: boolean;
}

/** Sent by the session workflow once its CDR is stored (or found invalid and never to be sent). */
export interface CdrStoredNotice extends EnqueueRequest {
  valid: boolean;
}

export type DeliveryResult = (
  | { status: 'delivered'; location: string | null }
  | { status: 'rejected'; reason: string }
) & {
  /** POSTs it took, when the queue knows. */
  attempts?: number;
};

export interface QueueEntry extends EnqueueRequest {
  /** Workflow time when the entry was queued (ms since epoch). */
  enqueuedAt: number;
  /** The CDR is stored and may be POSTed when it reaches the head. */
  stored: boolean;
}

export interface QueueState {
  party: PartyRef;
  entries: QueueEntry[];
  /** Ids recently taken off the queue: a late or repeated enqueue of one is ignored. */
  recentlyFinished: string[];
  paused: boolean;
  /** Failed attempts for the current head, and whether the last one left the outcome unknown. */
  headAttempts: number;
  headOutcomeUnknown: boolean;
  headLastError: string | null;
  /** Tuning, for tests and very large CPOs; defaults in cpo-queue.ts. */
  settings?: QueueSettings;
  /** A long queue is handed to the next run in chunks through Postgres, not in this payload. */
  snapshot?: { id: string; chunks: number };
  /** Messages that arrived while the previous run was handing over, in arrival order. */
  heldMessages?: QueueMessage[];
}

/** A signal to the queue, as held during a hand-over (with the time it arrived). */
export type QueueMessage =
  | { kind: 'enqueue'; request: EnqueueRequest; at: number }
  | { kind: 'stored'; notice: CdrStoredNotice; at: number }
  | { kind: 'pause' }
  | { kind: 'resume' };

export interface QueueSettings {
  /** Continue as new once the run's history has this many events. */
  continueAsNewAfterEvents?: number;
  /** How long the head may wait for its CDR to be stored before the queue looks into why. */
  headStorePatienceMs?: number;
  /** Most CDRs POSTed (one after the other) by one local activity call. */
  deliveryBatchSize?: number;
  /** Longest queue handed over inline; a longer one goes through Postgres in chunks of this size. */
  inlineEntriesLimit?: number;
}

export interface QueueStatus {
  depth: number;
  head: QueueEntry | null;
  oldestEnqueuedAt: number | null;
  paused: boolean;
  headAttempts: number;
  headLastError: string | null;
}

export const enqueueSignal = defineSignal<[EnqueueRequest]>('enqueue');
export const cdrStoredSignal = defineSignal<[CdrStoredNotice]>('cdrStored');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const queueStatusQuery = defineQuery<QueueStatus>('queueStatus');

export type ResendResult = { requeued: true; depth: number } | { requeued: false; reason: string };
/** Operator: put a rejected CDR (fixed since) back at the tail of its CPO's queue. */
export const resendUpdate = defineUpdate<ResendResult, [{ cdrId: string }]>('resend');

export const deliveryResultSignal = defineSignal<[DeliveryResult]>('deliveryResult');

export function initialQueueState(party: PartyRef, settings?: QueueSettings): QueueState {
  return {
    party,
    ...(settings ? { settings } : {}),
    entries: [],
    recentlyFinished: [],
    paused: false,
    headAttempts: 0,
    headOutcomeUnknown: false,
    headLastError: null,
  };
}
