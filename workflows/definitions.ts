/**
 * Messages between the CPO backend, the per-session CDR workflow and the per-CPO queue
 * workflow. Defined once here and imported by workflows, activities and clients.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PartyRef } from './ids';

/** A CDR handed in, as the queue records it (its place in the queue follows the order of hand-ins). */
export interface HandIn {
  cdrId: string;
  sessionId: string;
  /** When the queue learnt of it (ms since epoch). */
  at: number;
}

/** Sent by the client when a session ends: fixes the CDR's place in its CPO's queue. */
export interface EnqueueRequest {
  cdrId: string;
  sessionId: string;
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

/** The CDR the queue last found at its head, with its failed attempts there (for backoff and operators). */
export interface HeadState {
  cdrId: string;
  sessionId: string;
  attempts: number;
  lastError: string | null;
}

/**
 * What a queue workflow starts from, and carries to its next run. No list of CDRs: the
 * queue itself is in Postgres (table queue_entries), so a queue of any length costs the
 * workflow's history nothing.
 */
export interface QueueState {
  party: PartyRef;
  paused: boolean;
  /** Hand-ins received and not yet written to Postgres, in arrival order. */
  pendingHandIns: HandIn[];
  /** CDRs reported to their session workflows whose queue entries are still to be removed. */
  reported?: string[];
  /** The first lane's head (the party's first receiver). */
  head: HeadState | null;
  /** The other lanes' heads (a party with several receivers), carried for their backoff. */
  lanes?: { connection: string; head: HeadState | null }[];
  /** Tuning, for tests and very large CPOs; defaults in cpo-queue.ts. */
  settings?: QueueSettings;
}

export interface QueueSettings {
  /** Continue as new once the run's history has this many events. */
  continueAsNewAfterEvents?: number;
  /** How long the head may wait for its CDR to be stored before the queue looks into why. */
  headStorePatienceMs?: number;
  /** Most CDRs POSTed (one after the other) by one local activity call. */
  deliveryBatchSize?: number;
}

/** What the queue workflow is doing, as operators see it (search attribute CdrDeliveryStatus). */
export type QueueActivity = 'idle' | 'draining' | 'waiting-for-store' | 'retrying' | 'store-unavailable' | 'paused';

export interface QueueStatus {
  activity: QueueActivity;
  paused: boolean;
  /** The CDR last found at the head (depth and age are in Postgres: `cdrflow queue`). */
  head: { cdrId: string; sessionId: string } | null;
  headAttempts: number;
  headLastError: string | null;
  /** Hand-ins received and not yet written to Postgres (non-zero while the store is down). */
  pendingHandIns: number;
  /** Each receiver's lane (absent from queues that ran before lanes). */
  lanes?: LaneStatus[];
}

export interface LaneStatus {
  /** null until the first lane's first run said which connection it serves. */
  connection: string | null;
  activity: QueueActivity;
  head: { cdrId: string; sessionId: string } | null;
  headAttempts: number;
  headLastError: string | null;
}

export const enqueueSignal = defineSignal<[EnqueueRequest]>('enqueue');
export const cdrStoredSignal = defineSignal<[CdrStoredNotice]>('cdrStored');
export const pauseSignal = defineSignal('pause');
/** Look at the queue in Postgres again (sent by `cdrflow recover` and the worker's queue repair). */
export const wakeSignal = defineSignal('wake');
export const resumeSignal = defineSignal('resume');
export const queueStatusQuery = defineQuery<QueueStatus>('queueStatus');

export type ResendResult = { requeued: true; depth: number } | { requeued: false; reason: string };
/** Operator: put a rejected CDR (fixed since) back at the tail of its CPO's queue. */
export const resendUpdate = defineUpdate<ResendResult, [{ cdrId: string }]>('resend');

export const deliveryResultSignal = defineSignal<[DeliveryResult]>('deliveryResult');

export function initialQueueState(party: PartyRef, settings?: QueueSettings): QueueState {
  return { party, ...(settings ? { settings } : {}), paused: false, pendingHandIns: [], reported: [], head: null };
}
